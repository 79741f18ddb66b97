// The mbedTLS configuration of both builds of the signer (native and wasm): only SHA-1 and SHA-256
// (the core builds HMAC and Base64 on them itself). No PSA, no threading, no time, no file system,
// so the library compiles to the same few functions everywhere and nothing else is linked.
#ifndef DYPLS_MBEDTLS_CONFIG_H
#define DYPLS_MBEDTLS_CONFIG_H

#define MBEDTLS_SHA1_C
#define MBEDTLS_SHA256_C

#endif  // DYPLS_MBEDTLS_CONFIG_H
