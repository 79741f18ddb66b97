// memcpy, memmove and memset for the wasm builds, as the bulk-memory instructions. Emscripten
// 3.1.6's libc has no bulk-memory build: its memcpy copies in a loop and hands copies of 512
// bytes or more to JavaScript (HEAPU8.copyWithin, a call out of wasm each time), and its memset
// stores four bytes at a time. Code compiled with -mbulk-memory inlines its own copies, but the
// prebuilt libc++ (std::string's assign, append, resize) and dlmalloc call these. Defined here,
// they are linked before libc's weak ones.
#if defined(__EMSCRIPTEN__) && defined(__wasm_bulk_memory__)

#include <cstddef>

// With bulk memory the builtins are lowered to memory.copy and memory.fill. Without it they would
// be calls back into these very functions, so they are defined only when it is on.
extern "C" {

void* memcpy(void* dest, const void* src, std::size_t size) {
  __builtin_memcpy(dest, src, size);
  return dest;
}

void* memmove(void* dest, const void* src, std::size_t size) {
  __builtin_memmove(dest, src, size);
  return dest;
}

void* memset(void* dest, int value, std::size_t size) {
  __builtin_memset(dest, value, size);
  return dest;
}

}  // extern "C"

#endif
