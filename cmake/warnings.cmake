# Our own code builds clean with these; third-party code is compiled without them.
function(dypls_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(DYPLS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
