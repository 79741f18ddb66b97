// The mbedTLS configuration of both builds of the signer (native and wasm): only what HMAC-SHA1,
// HMAC-SHA256, SHA-256 and Base64 need. No PSA, no threading, no time, no file system, so the
// library compiles to the same few functions everywhere and nothing else is linked.
#ifndef DYPLS_MBEDTLS_CONFIG_H
#define DYPLS_MBEDTLS_CONFIG_H

#define MBEDTLS_MD_C
#define MBEDTLS_SHA1_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_BASE64_C

#endif  // DYPLS_MBEDTLS_CONFIG_H
