#define _DEFAULT_SOURCE
#include "berth_shims.h"

#include <dlfcn.h>
#include <errno.h>
#include <spawn.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <signal.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// Opens the first library of `names` that loads.
static void *open_first(const char *const *names, char *error, size_t error_length) {
    for (const char *const *name = names; *name; name++) {
        void *library = dlopen(*name, RTLD_NOW | RTLD_LOCAL);
        if (library) return library;
    }
    snprintf(error, error_length, "cannot load %s: %s", names[0], dlerror());
    return NULL;
}

#define RESOLVE(library, pointer, symbol)                                                    \
    do {                                                                                     \
        *(void **)(&pointer) = dlsym(library, symbol);                                       \
        if (!pointer) {                                                                      \
            snprintf(error, error_length, "%s has no %s", #library, symbol);                 \
            return -1;                                                                       \
        }                                                                                    \
    } while (0)

// MARK: libcrypto (prototypes as OpenSSL 1.1 and 3 export them)

static const void *(*p_EVP_sha256)(void);
static unsigned char *(*p_SHA256)(const unsigned char *, size_t, unsigned char *);
static unsigned char *(*p_HMAC)(const void *, const void *, int, const unsigned char *, size_t, unsigned char *,
                                unsigned int *);

// Signature verification (OpenSSL 1.1.1 and 3).
static void *(*p_BIO_new_mem_buf)(const void *, int);
static int (*p_BIO_free)(void *);
static void *(*p_PEM_read_bio_PUBKEY)(void *, void **, void *, void *);
static void *(*p_d2i_PUBKEY)(void **, const unsigned char **, long);
static int (*p_i2d_PUBKEY)(void *, unsigned char **);
static void (*p_EVP_PKEY_free)(void *);
static int (*p_EVP_PKEY_base_id)(const void *);
static int (*p_EVP_PKEY_bits)(const void *);
static void *(*p_EVP_MD_CTX_new)(void);
static void (*p_EVP_MD_CTX_free)(void *);
static int (*p_EVP_DigestVerifyInit)(void *, void **, const void *, void *, void *);
static int (*p_EVP_DigestVerify)(void *, const unsigned char *, size_t, const unsigned char *, size_t);
static void (*p_ERR_clear_error)(void);

// X.509 certificates (OpenSSL 1.1.1 and 3): Fulcio chains, SANs, extensions.
static void *(*p_PEM_read_bio_X509)(void *, void **, void *, void *);
static void (*p_X509_free)(void *);
static void *(*p_X509_STORE_new)(void);
static void (*p_X509_STORE_free)(void *);
static int (*p_X509_STORE_add_cert)(void *, void *);
static void *(*p_X509_STORE_CTX_new)(void);
static void (*p_X509_STORE_CTX_free)(void *);
static int (*p_X509_STORE_CTX_init)(void *, void *, void *, void *);
static void *(*p_X509_STORE_CTX_get0_param)(void *);
static void (*p_X509_VERIFY_PARAM_set_time)(void *, time_t);
static int (*p_X509_verify_cert)(void *);
static int (*p_X509_STORE_CTX_get_error)(void *);
static const char *(*p_X509_verify_cert_error_string)(long);
static void *(*p_OPENSSL_sk_new_null)(void);
static int (*p_OPENSSL_sk_push)(void *, const void *);
static int (*p_OPENSSL_sk_num)(const void *);
static void *(*p_OPENSSL_sk_value)(const void *, int);
static void (*p_OPENSSL_sk_free)(void *);
static const void *(*p_X509_get0_notBefore)(const void *);
static const void *(*p_X509_get0_notAfter)(const void *);
static int (*p_ASN1_TIME_to_tm)(const void *, struct tm *);
static void *(*p_X509_get0_pubkey)(const void *);
static int (*p_i2d_PUBKEY)(void *, unsigned char **);
static void *(*p_X509_get_ext_d2i)(const void *, int, int *, int *);
static void (*p_GENERAL_NAMES_free)(void *);
static const unsigned char *(*p_ASN1_STRING_get0_data)(const void *);
static int (*p_ASN1_STRING_length)(const void *);
static void *(*p_OBJ_txt2obj)(const char *, int);
static void (*p_ASN1_OBJECT_free)(void *);
static int (*p_X509_get_ext_by_OBJ)(const void *, const void *, int);
static void *(*p_X509_get_ext)(const void *, int);
static void *(*p_X509_EXTENSION_get_data)(void *);

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static int crypto_state = 0;  // 0 not tried, 1 loaded, -1 failed
static char crypto_error[256];

static int load_crypto(char *error, size_t error_length) {
    static const char *const names[] = {"libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so", NULL};
    void *crypto = open_first(names, error, error_length);
    if (!crypto) return -1;
    RESOLVE(crypto, p_EVP_sha256, "EVP_sha256");
    RESOLVE(crypto, p_SHA256, "SHA256");
    RESOLVE(crypto, p_HMAC, "HMAC");
    RESOLVE(crypto, p_BIO_new_mem_buf, "BIO_new_mem_buf");
    RESOLVE(crypto, p_BIO_free, "BIO_free");
    RESOLVE(crypto, p_PEM_read_bio_PUBKEY, "PEM_read_bio_PUBKEY");
    RESOLVE(crypto, p_d2i_PUBKEY, "d2i_PUBKEY");
    RESOLVE(crypto, p_i2d_PUBKEY, "i2d_PUBKEY");
    RESOLVE(crypto, p_EVP_PKEY_free, "EVP_PKEY_free");
    // OpenSSL 3 exports these as EVP_PKEY_get_*, 1.1.1 without the get_.
    *(void **)(&p_EVP_PKEY_base_id) = dlsym(crypto, "EVP_PKEY_get_base_id");
    if (!p_EVP_PKEY_base_id) RESOLVE(crypto, p_EVP_PKEY_base_id, "EVP_PKEY_base_id");
    *(void **)(&p_EVP_PKEY_bits) = dlsym(crypto, "EVP_PKEY_get_bits");
    if (!p_EVP_PKEY_bits) RESOLVE(crypto, p_EVP_PKEY_bits, "EVP_PKEY_bits");
    RESOLVE(crypto, p_EVP_MD_CTX_new, "EVP_MD_CTX_new");
    RESOLVE(crypto, p_EVP_MD_CTX_free, "EVP_MD_CTX_free");
    RESOLVE(crypto, p_EVP_DigestVerifyInit, "EVP_DigestVerifyInit");
    RESOLVE(crypto, p_EVP_DigestVerify, "EVP_DigestVerify");
    RESOLVE(crypto, p_ERR_clear_error, "ERR_clear_error");
    RESOLVE(crypto, p_PEM_read_bio_X509, "PEM_read_bio_X509");
    RESOLVE(crypto, p_X509_free, "X509_free");
    RESOLVE(crypto, p_X509_STORE_new, "X509_STORE_new");
    RESOLVE(crypto, p_X509_STORE_free, "X509_STORE_free");
    RESOLVE(crypto, p_X509_STORE_add_cert, "X509_STORE_add_cert");
    RESOLVE(crypto, p_X509_STORE_CTX_new, "X509_STORE_CTX_new");
    RESOLVE(crypto, p_X509_STORE_CTX_free, "X509_STORE_CTX_free");
    RESOLVE(crypto, p_X509_STORE_CTX_init, "X509_STORE_CTX_init");
    RESOLVE(crypto, p_X509_STORE_CTX_get0_param, "X509_STORE_CTX_get0_param");
    RESOLVE(crypto, p_X509_VERIFY_PARAM_set_time, "X509_VERIFY_PARAM_set_time");
    RESOLVE(crypto, p_X509_verify_cert, "X509_verify_cert");
    RESOLVE(crypto, p_X509_STORE_CTX_get_error, "X509_STORE_CTX_get_error");
    RESOLVE(crypto, p_X509_verify_cert_error_string, "X509_verify_cert_error_string");
    RESOLVE(crypto, p_OPENSSL_sk_new_null, "OPENSSL_sk_new_null");
    RESOLVE(crypto, p_OPENSSL_sk_push, "OPENSSL_sk_push");
    RESOLVE(crypto, p_OPENSSL_sk_num, "OPENSSL_sk_num");
    RESOLVE(crypto, p_OPENSSL_sk_value, "OPENSSL_sk_value");
    RESOLVE(crypto, p_OPENSSL_sk_free, "OPENSSL_sk_free");
    RESOLVE(crypto, p_X509_get0_notBefore, "X509_get0_notBefore");
    RESOLVE(crypto, p_X509_get0_notAfter, "X509_get0_notAfter");
    RESOLVE(crypto, p_ASN1_TIME_to_tm, "ASN1_TIME_to_tm");
    RESOLVE(crypto, p_X509_get0_pubkey, "X509_get0_pubkey");
    RESOLVE(crypto, p_i2d_PUBKEY, "i2d_PUBKEY");
    RESOLVE(crypto, p_X509_get_ext_d2i, "X509_get_ext_d2i");
    RESOLVE(crypto, p_GENERAL_NAMES_free, "GENERAL_NAMES_free");
    RESOLVE(crypto, p_ASN1_STRING_get0_data, "ASN1_STRING_get0_data");
    RESOLVE(crypto, p_ASN1_STRING_length, "ASN1_STRING_length");
    RESOLVE(crypto, p_OBJ_txt2obj, "OBJ_txt2obj");
    RESOLVE(crypto, p_ASN1_OBJECT_free, "ASN1_OBJECT_free");
    RESOLVE(crypto, p_X509_get_ext_by_OBJ, "X509_get_ext_by_OBJ");
    RESOLVE(crypto, p_X509_get_ext, "X509_get_ext");
    RESOLVE(crypto, p_X509_EXTENSION_get_data, "X509_EXTENSION_get_data");
    return 0;
}

int berth_crypto_load(char *error, size_t error_length) {
    pthread_mutex_lock(&load_lock);
    if (crypto_state == 0) crypto_state = load_crypto(crypto_error, sizeof crypto_error) == 0 ? 1 : -1;
    int state = crypto_state;
    pthread_mutex_unlock(&load_lock);
    if (state < 0) snprintf(error, error_length, "%s", crypto_error);
    return state > 0 ? 0 : -1;
}

// Both load libcrypto on first use, whoever calls them first. Without it they return -1 and
// leave the output zeroed, never calling through a missing symbol.
int berth_sha256(const void *data, size_t length, uint8_t *digest) {
    char ignored[8];
    memset(digest, 0, 32);
    if (berth_crypto_load(ignored, sizeof ignored) != 0) return -1;
    p_SHA256((const unsigned char *)data, length, digest);
    return 0;
}

int berth_hmac_sha256(const void *key, size_t key_length, const void *data, size_t length, uint8_t *mac) {
    char ignored[8];
    memset(mac, 0, 32);
    if (berth_crypto_load(ignored, sizeof ignored) != 0) return -1;
    unsigned int mac_length = 32;
    p_HMAC(p_EVP_sha256(), key, (int)key_length, (const unsigned char *)data, length, mac, &mac_length);
    return 0;
}

// Reads a public key: PEM ("-----BEGIN PUBLIC KEY-----") or DER SubjectPublicKeyInfo.
static void *read_public_key(const uint8_t *key, size_t key_length) {
    if (key_length == 0 || key_length > (1 << 20)) return NULL;
    // PEM after a UTF-8 byte-order mark or blank lines (as some editors save it) is PEM still.
    size_t skipped = key_length >= 3 && memcmp(key, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (skipped < key_length && (key[skipped] == ' ' || key[skipped] == '\t' || key[skipped] == '\r' || key[skipped] == '\n')) skipped++;
    if (key_length - skipped > 10 && memcmp(key + skipped, "-----BEGIN", 10) == 0) {
        void *bio = p_BIO_new_mem_buf(key, (int)key_length);
        if (!bio) return NULL;
        void *pkey = p_PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
        p_BIO_free(bio);
        return pkey;
    }
    const unsigned char *cursor = key;
    void *pkey = p_d2i_PUBKEY(NULL, &cursor, (long)key_length);
    // Trailing bytes after the key are not a key.
    if (pkey && cursor != key + key_length) {
        p_EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

int berth_public_key_kind(const uint8_t *key, size_t key_length, int *bits) {
    char ignored[8];
    if (berth_crypto_load(ignored, sizeof ignored) != 0) return -2;
    void *pkey = read_public_key(key, key_length);
    p_ERR_clear_error();
    if (!pkey) return -1;
    int type = p_EVP_PKEY_base_id(pkey);
    *bits = p_EVP_PKEY_bits(pkey);
    // An EC key is P-256 as Go's x509 (Cosign's reader) takes it when its DER is the named curve
    // prime256v1 and an uncompressed point: the algorithm identifier id-ecPublicKey
    // (1.2.840.10045.2.1) with prime256v1 (1.2.840.10045.3.1.7), then a 65-byte point.
    int p256 = 0;
    if (type == 408) {
        static const unsigned char prefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
                                               0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04};
        unsigned char der[128];
        unsigned char *cursor = der;
        int length = p_i2d_PUBKEY(pkey, NULL);
        if (length == 91 && p_i2d_PUBKEY(pkey, &cursor) == length) p256 = memcmp(der, prefix, sizeof prefix) == 0;
    }
    p_EVP_PKEY_free(pkey);
    p_ERR_clear_error();
    // EVP_PKEY_RSA and EVP_PKEY_EC (NID_rsaEncryption, NID_X9_62_id_ecPublicKey).
    return type == 6 ? 1 : type == 408 ? (p256 ? 2 : 4) : 3;
}

int berth_verify_sha256(const uint8_t *key, size_t key_length, const void *data, size_t length, const uint8_t *signature,
                        size_t signature_length) {
    char ignored[8];
    if (berth_crypto_load(ignored, sizeof ignored) != 0) return -2;
    void *pkey = read_public_key(key, key_length);
    if (!pkey) {
        p_ERR_clear_error();
        return -1;
    }
    int verdict = 0;
    void *context = p_EVP_MD_CTX_new();
    if (context && p_EVP_DigestVerifyInit(context, NULL, p_EVP_sha256(), NULL, pkey) == 1) {
        verdict = p_EVP_DigestVerify(context, signature, signature_length, (const unsigned char *)data, length) == 1 ? 1 : 0;
    }
    if (context) p_EVP_MD_CTX_free(context);
    p_EVP_PKEY_free(pkey);
    p_ERR_clear_error();
    return verdict;
}


// MARK: X.509

// Reads the PEM certificates at the start of `pem` into a new stack (empty when there are none);
// NULL when `pem` is too long or memory runs out.
static void *read_certificates(const uint8_t *pem, size_t length) {
    void *stack = p_OPENSSL_sk_new_null();
    if (!stack || length == 0) return stack;
    if (length > (1 << 20)) { p_OPENSSL_sk_free(stack); return NULL; }
    void *bio = p_BIO_new_mem_buf(pem, (int)length);
    if (!bio) { p_OPENSSL_sk_free(stack); return NULL; }
    void *certificate;
    while ((certificate = p_PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        // A certificate the stack cannot take (memory runs out) is freed here, not leaked.
        if (p_OPENSSL_sk_push(stack, certificate) <= 0) {
            p_X509_free(certificate);
            break;
        }
    }
    p_BIO_free(bio);
    p_ERR_clear_error();
    return stack;
}

static void free_certificates(void *stack) {
    if (!stack) return;
    for (int index = 0; index < p_OPENSSL_sk_num(stack); index++) p_X509_free(p_OPENSSL_sk_value(stack, index));
    p_OPENSSL_sk_free(stack);
}

// The first certificate of `pem`, or NULL.
static void *read_certificate(const uint8_t *pem, size_t length) {
    void *stack = read_certificates(pem, length);
    if (!stack) return NULL;
    void *first = NULL;
    if (p_OPENSSL_sk_num(stack) > 0) {
        first = p_OPENSSL_sk_value(stack, 0);
        for (int index = 1; index < p_OPENSSL_sk_num(stack); index++) p_X509_free(p_OPENSSL_sk_value(stack, index));
    }
    p_OPENSSL_sk_free(stack);
    return first;
}

int berth_x509_verify(const uint8_t *leaf, size_t leaf_length, const uint8_t *untrusted, size_t untrusted_length,
                      const uint8_t *trusted, size_t trusted_length, int64_t at_time, char *error, size_t error_length) {
    char ignored[8];
    if (berth_crypto_load(ignored, sizeof ignored) != 0) return -2;
    void *certificate = read_certificate(leaf, leaf_length);
    if (!certificate) {
        snprintf(error, error_length, "not a PEM certificate");
        return -1;
    }
    void *intermediates = read_certificates(untrusted, untrusted_length);
    void *anchors = read_certificates(trusted, trusted_length);
    void *store = p_X509_STORE_new();
    void *context = p_X509_STORE_CTX_new();
    int verdict = 0;
    if (!intermediates || !anchors || !store || !context) {
        snprintf(error, error_length, "cannot read the certificate chain");
    } else {
        for (int index = 0; index < p_OPENSSL_sk_num(anchors); index++) p_X509_STORE_add_cert(store, p_OPENSSL_sk_value(anchors, index));
        if (p_X509_STORE_CTX_init(context, store, certificate, intermediates) == 1) {
            p_X509_VERIFY_PARAM_set_time(p_X509_STORE_CTX_get0_param(context), (time_t)at_time);
            if (p_X509_verify_cert(context) == 1) {
                verdict = 1;
            } else {
                snprintf(error, error_length, "%s", p_X509_verify_cert_error_string(p_X509_STORE_CTX_get_error(context)));
            }
        } else {
            snprintf(error, error_length, "cannot start verifying");
        }
    }
    if (context) p_X509_STORE_CTX_free(context);
    if (store) p_X509_STORE_free(store);
    free_certificates(anchors);
    free_certificates(intermediates);
    p_X509_free(certificate);
    p_ERR_clear_error();
    return verdict;
}

static int64_t seconds_of(const void *time) {
    struct tm parts;
    memset(&parts, 0, sizeof parts);
    if (!time || p_ASN1_TIME_to_tm(time, &parts) != 1) return INT64_MIN;
    return (int64_t)timegm(&parts);
}

int berth_x509_facts(const uint8_t *pem, size_t length, int64_t *not_before, int64_t *not_after, uint8_t *public_key,
                     size_t *public_key_length) {
    char ignored[8];
    if (berth_crypto_load(ignored, sizeof ignored) != 0) return -2;
    void *certificate = read_certificate(pem, length);
    if (!certificate) return -1;
    *not_before = seconds_of(p_X509_get0_notBefore(certificate));
    *not_after = seconds_of(p_X509_get0_notAfter(certificate));
    int result = -1;
    void *key = p_X509_get0_pubkey(certificate);
    int der_length = key ? p_i2d_PUBKEY(key, NULL) : -1;
    if (der_length > 0 && (size_t)der_length <= *public_key_length && *not_before != INT64_MIN && *not_after != INT64_MIN) {
        unsigned char *cursor = public_key;
        p_i2d_PUBKEY(key, &cursor);
        *public_key_length = (size_t)der_length;
        result = 0;
    }
    p_X509_free(certificate);
    p_ERR_clear_error();
    return result;
}

// OpenSSL's GENERAL_NAME: a type and a pointer (every type Berth reads is an ASN1_STRING).
typedef struct {
    int type;
    void *value;
} general_name;

enum { NID_SUBJECT_ALT_NAME = 85 };

int berth_x509_san(const uint8_t *pem, size_t length, int index, uint8_t *value, size_t *value_length) {
    char ignored[8];
    if (berth_crypto_load(ignored, sizeof ignored) != 0) return -2;
    void *certificate = read_certificate(pem, length);
    if (!certificate) return -2;
    int result = -1;
    void *names = p_X509_get_ext_d2i(certificate, NID_SUBJECT_ALT_NAME, NULL, NULL);
    if (names && index >= 0 && index < p_OPENSSL_sk_num(names)) {
        const general_name *name = p_OPENSSL_sk_value(names, index);
        result = name->type;
        size_t size = 0;
        // email (1), DNS (2) and URI (6) are IA5 strings.
        if ((name->type == 1 || name->type == 2 || name->type == 6) && name->value) {
            int string_length = p_ASN1_STRING_length(name->value);
            if (string_length > 0) {
                // A value that does not fit is not copied: its length tells the caller the size
                // to ask again with.
                if ((size_t)string_length <= *value_length) memcpy(value, p_ASN1_STRING_get0_data(name->value), (size_t)string_length);
                size = (size_t)string_length;
            }
        }
        *value_length = size;
    }
    if (names) p_GENERAL_NAMES_free(names);
    p_X509_free(certificate);
    p_ERR_clear_error();
    return result;
}

int berth_x509_extension(const uint8_t *pem, size_t length, const char *oid, uint8_t *value, size_t *value_length) {
    char ignored[8];
    if (berth_crypto_load(ignored, sizeof ignored) != 0) return -2;
    void *certificate = read_certificate(pem, length);
    if (!certificate) return -1;
    int result = 0;
    void *object = p_OBJ_txt2obj(oid, 1);
    int position = object ? p_X509_get_ext_by_OBJ(certificate, object, -1) : -1;
    if (position >= 0) {
        // There, but not copied (too long for the buffer, or no data) unless the copy below is made.
        result = 2;
        void *data = p_X509_EXTENSION_get_data(p_X509_get_ext(certificate, position));
        int data_length = data ? p_ASN1_STRING_length(data) : -1;
        if (data_length >= 0 && (size_t)data_length <= *value_length) {
            memcpy(value, p_ASN1_STRING_get0_data(data), (size_t)data_length);
            *value_length = (size_t)data_length;
            result = 1;
        }
    }
    if (object) p_ASN1_OBJECT_free(object);
    p_X509_free(certificate);
    p_ERR_clear_error();
    return result;
}

// MARK: libcurl
//
// The few types and constants of <curl/curl.h> that Berth uses, with the values of libcurl's
// stable ABI (checked against curl 7.88's header), so that building needs no -dev package.

typedef void CURL;
typedef int CURLcode;
typedef int CURLoption;
typedef int CURLINFO;
typedef long long curl_off_t;
struct curl_slist;

enum {
    CURLE_OK = 0,
    CURLE_COULDNT_CONNECT = 7,
    CURLE_PARTIAL_FILE = 18,
    CURLE_OPERATION_TIMEDOUT = 28,
    CURLE_ABORTED_BY_CALLBACK = 42,
    CURLE_GOT_NOTHING = 52,
    CURLE_SEND_ERROR = 55,
    CURLE_RECV_ERROR = 56,
};
enum {
    CURLOPT_WRITEDATA = 10001,
    CURLOPT_URL = 10002,
    CURLOPT_PROXY = 10004,
    CURLOPT_XFERINFODATA = 10057,
    CURLOPT_POSTFIELDS = 10015,
    CURLOPT_HTTPHEADER = 10023,
    CURLOPT_HEADERDATA = 10029,
    CURLOPT_CUSTOMREQUEST = 10036,
    CURLOPT_CAINFO = 10065,
    CURLOPT_NOPROXY = 10177,
    CURLOPT_PROTOCOLS_STR = 10318,
    CURLOPT_WRITEFUNCTION = 20011,
    CURLOPT_HEADERFUNCTION = 20079,
    CURLOPT_XFERINFOFUNCTION = 20219,
    CURLOPT_POSTFIELDSIZE_LARGE = 30120,
    CURLOPT_NOPROGRESS = 43,
    CURLOPT_HTTPGET = 80,
    CURLOPT_NOSIGNAL = 99,
    CURLOPT_TIMEOUT_MS = 155,
    CURLOPT_CONNECTTIMEOUT_MS = 156,
};
enum { CURLINFO_RESPONSE_CODE = 0x200000 + 2 };
enum { CURL_GLOBAL_DEFAULT = 3 };

static CURLcode (*p_curl_global_init)(long);
static CURL *(*p_curl_easy_init)(void);
static CURLcode (*p_curl_easy_setopt)(CURL *, CURLoption, ...);
static CURLcode (*p_curl_easy_perform)(CURL *);
static CURLcode (*p_curl_easy_getinfo)(CURL *, CURLINFO, ...);
static void (*p_curl_easy_cleanup)(CURL *);
static void (*p_curl_easy_reset)(CURL *);
static const char *(*p_curl_easy_strerror)(CURLcode);
static struct curl_slist *(*p_curl_slist_append)(struct curl_slist *, const char *);
static void (*p_curl_slist_free_all)(struct curl_slist *);

static int curl_state = 0;
static char curl_error[256];

static int load_curl(char *error, size_t error_length) {
    static const char *const names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", NULL};
    void *curl = open_first(names, error, error_length);
    if (!curl) return -1;
    RESOLVE(curl, p_curl_global_init, "curl_global_init");
    RESOLVE(curl, p_curl_easy_init, "curl_easy_init");
    RESOLVE(curl, p_curl_easy_setopt, "curl_easy_setopt");
    RESOLVE(curl, p_curl_easy_perform, "curl_easy_perform");
    RESOLVE(curl, p_curl_easy_getinfo, "curl_easy_getinfo");
    RESOLVE(curl, p_curl_easy_cleanup, "curl_easy_cleanup");
    RESOLVE(curl, p_curl_easy_reset, "curl_easy_reset");
    RESOLVE(curl, p_curl_easy_strerror, "curl_easy_strerror");
    RESOLVE(curl, p_curl_slist_append, "curl_slist_append");
    RESOLVE(curl, p_curl_slist_free_all, "curl_slist_free_all");
    if (p_curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(error, error_length, "curl_global_init failed");
        return -1;
    }
    return 0;
}

int berth_curl_load(char *error, size_t error_length) {
    pthread_mutex_lock(&load_lock);
    if (curl_state == 0) curl_state = load_curl(curl_error, sizeof curl_error) == 0 ? 1 : -1;
    int state = curl_state;
    pthread_mutex_unlock(&load_lock);
    if (state < 0) snprintf(error, error_length, "%s", curl_error);
    return state > 0 ? 0 : -1;
}

void *berth_http_handle_new(void) { return p_curl_easy_init(); }

void berth_http_handle_free(void *handle) {
    if (handle) p_curl_easy_cleanup((CURL *)handle);
}

typedef struct growing_buffer {
    char *bytes;
    size_t length;
    size_t capacity;
    /// The most it may hold: a server cannot make Berth take all memory.
    size_t limit;
    int overflowed;
} growing_buffer;

static size_t append_bytes(char *data, size_t size, size_t count, void *user) {
    growing_buffer *buffer = (growing_buffer *)user;
    size_t length = size * count;
    if (buffer->length + length > buffer->limit) {
        buffer->overflowed = 1;
        return 0;  // makes curl fail with CURLE_WRITE_ERROR
    }
    if (buffer->length + length + 1 > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity * 2 : 4096;
        while (capacity < buffer->length + length + 1) capacity *= 2;
        char *grown = realloc(buffer->bytes, capacity);
        if (!grown) return 0;  // makes curl fail with CURLE_WRITE_ERROR
        buffer->bytes = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->bytes + buffer->length, data, length);
    buffer->length += length;
    buffer->bytes[buffer->length] = 0;
    return length;
}

// Keeps only the header block of the last response (after redirects or 100 Continue).
static size_t append_header(char *data, size_t size, size_t count, void *user) {
    growing_buffer *buffer = (growing_buffer *)user;
    if (size * count > 5 && strncmp(data, "HTTP/", 5) == 0) buffer->length = 0;
    return append_bytes(data, size, count, user);
}

/// libcurl's progress callback, called about once a second while a transfer waits and often
/// while it moves: non-zero stops the transfer (CURLE_ABORTED_BY_CALLBACK).
static int stop_when_flagged(void *flag, curl_off_t download_total, curl_off_t downloaded, curl_off_t upload_total, curl_off_t uploaded) {
    (void)download_total, (void)downloaded, (void)upload_total, (void)uploaded;
    return __atomic_load_n((const int *)flag, __ATOMIC_ACQUIRE) != 0;
}

void berth_flag_raise(int *flag) { __atomic_store_n(flag, 1, __ATOMIC_RELEASE); }

void berth_http_perform(void *handle, const berth_http_request *request, berth_http_response *response) {
    memset(response, 0, sizeof *response);
    CURL *curl = (CURL *)handle;
    p_curl_easy_reset(curl);
    growing_buffer body = {0}, headers = {0};
    body.limit = request->body_limit ? request->body_limit : (size_t)64 << 20;
    headers.limit = (size_t)1 << 20;
    struct curl_slist *list = NULL;
    for (size_t index = 0; index < request->header_count; index++) list = p_curl_slist_append(list, request->headers[index]);
    // No "Expect: 100-continue" round trip, and no Accept header that was not signed.
    list = p_curl_slist_append(list, "Expect:");
    list = p_curl_slist_append(list, "Accept:");

    // Every option is checked: a curl too old for one fails the request with the version it
    // needs, instead of dropping a protection (time-outs, protocols) without a word.
#define SET(option, value, since)                                                                      \
    do {                                                                                               \
        CURLcode set = p_curl_easy_setopt(curl, option, value);                                        \
        if (set != CURLE_OK) {                                                                         \
            p_curl_slist_free_all(list);                                                               \
            free(body.bytes);                                                                          \
            free(headers.bytes);                                                                       \
            response->error_code = (int)set;                                                           \
            snprintf(response->error_message, sizeof response->error_message,                          \
                     "libcurl refused %s (%s); Berth needs libcurl %s or later", #option,               \
                     p_curl_easy_strerror(set), since);                                                 \
            return;                                                                                    \
        }                                                                                              \
    } while (0)
    SET(CURLOPT_URL, request->url, "7.10");
    SET(CURLOPT_HTTPHEADER, list, "7.10");
    SET(CURLOPT_NOSIGNAL, 1L, "7.10");
    SET(CURLOPT_CONNECTTIMEOUT_MS, request->connect_timeout_ms, "7.16.2");
    SET(CURLOPT_TIMEOUT_MS, request->timeout_ms, "7.16.2");
    SET(CURLOPT_WRITEFUNCTION, append_bytes, "7.10");
    SET(CURLOPT_WRITEDATA, &body, "7.10");
    SET(CURLOPT_HEADERFUNCTION, append_header, "7.10");
    SET(CURLOPT_HEADERDATA, &headers, "7.10");
    SET(CURLOPT_PROTOCOLS_STR, "http,https", "7.85.0");
    if (request->ca_bundle) SET(CURLOPT_CAINFO, request->ca_bundle, "7.10");
    // Always set: "" turns off curl's reading of the process environment, so that the proxy
    // comes only from the environment Berth was given.
    SET(CURLOPT_PROXY, request->proxy ? request->proxy : "", "7.10");
    if (request->no_proxy) SET(CURLOPT_NOPROXY, request->no_proxy, "7.19.4");
    if (request->stop) {
        SET(CURLOPT_XFERINFOFUNCTION, stop_when_flagged, "7.32.0");
        SET(CURLOPT_XFERINFODATA, (void *)request->stop, "7.32.0");
        SET(CURLOPT_NOPROGRESS, 0L, "7.10");
    }
    if (strcmp(request->method, "GET") == 0) {
        SET(CURLOPT_HTTPGET, 1L, "7.10");
    } else {
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->body_length, "7.11.1");
        SET(CURLOPT_POSTFIELDS, request->body_length ? (const char *)request->body : "", "7.10");
        if (strcmp(request->method, "POST") != 0) SET(CURLOPT_CUSTOMREQUEST, request->method, "7.10");
    }
#undef SET

    CURLcode code = p_curl_easy_perform(curl);
    p_curl_slist_free_all(list);
    response->body = (uint8_t *)body.bytes;
    response->body_length = body.length;
    response->headers = headers.bytes;
    response->headers_length = headers.length;
    if (code != CURLE_OK) {
        response->error_code = (int)code;
        if (body.overflowed || headers.overflowed) {
            response->error_kind = 3;
            size_t limit = body.overflowed ? body.limit : headers.limit;
            if (limit >= ((size_t)1 << 20) && limit % ((size_t)1 << 20) == 0) {
                snprintf(response->error_message, sizeof response->error_message,
                         "the answer is larger than %zu MiB; stopped reading it", limit >> 20);
            } else {
                snprintf(response->error_message, sizeof response->error_message,
                         "the answer is larger than %zu bytes; stopped reading it", limit);
            }
            return;
        }
        switch (code) {
        case CURLE_OPERATION_TIMEDOUT: response->error_kind = 1; break;
        case CURLE_ABORTED_BY_CALLBACK: response->error_kind = 4; break;
        case CURLE_COULDNT_CONNECT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE: response->error_kind = 2; break;
        default: response->error_kind = 0;
        }
        snprintf(response->error_message, sizeof response->error_message, "%s", p_curl_easy_strerror(code));
        return;
    }
    p_curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response->status);
}

void berth_http_response_free(berth_http_response *response) {
    free(response->body);
    free(response->headers);
    response->body = NULL;
    response->headers = NULL;
}

// MARK: libxml2 (the xmlTextReader API; prototypes as libxml2 2.9+ exports them)

static void *(*p_xmlReaderForMemory)(const char *, int, const char *, const char *, int);
static int (*p_xmlTextReaderRead)(void *);
static int (*p_xmlTextReaderNodeType)(void *);
static const unsigned char *(*p_xmlTextReaderConstLocalName)(void *);
static const unsigned char *(*p_xmlTextReaderConstValue)(void *);
static int (*p_xmlTextReaderIsEmptyElement)(void *);
static void (*p_xmlFreeTextReader)(void *);
static void (*p_xmlInitParser)(void);

static int xml_state = 0;
static char xml_error[256];

static int load_xml(char *error, size_t error_length) {
    static const char *const names[] = {"libxml2.so.2", "libxml2.so", NULL};
    void *xml = open_first(names, error, error_length);
    if (!xml) return -1;
    RESOLVE(xml, p_xmlReaderForMemory, "xmlReaderForMemory");
    RESOLVE(xml, p_xmlTextReaderRead, "xmlTextReaderRead");
    RESOLVE(xml, p_xmlTextReaderNodeType, "xmlTextReaderNodeType");
    RESOLVE(xml, p_xmlTextReaderConstLocalName, "xmlTextReaderConstLocalName");
    RESOLVE(xml, p_xmlTextReaderConstValue, "xmlTextReaderConstValue");
    RESOLVE(xml, p_xmlTextReaderIsEmptyElement, "xmlTextReaderIsEmptyElement");
    RESOLVE(xml, p_xmlFreeTextReader, "xmlFreeTextReader");
    RESOLVE(xml, p_xmlInitParser, "xmlInitParser");
    // libxml2 must be initialised once before threads use it.
    p_xmlInitParser();
    return 0;
}

int berth_xml_load(char *error, size_t error_length) {
    pthread_mutex_lock(&load_lock);
    if (xml_state == 0) xml_state = load_xml(xml_error, sizeof xml_error) == 0 ? 1 : -1;
    int state = xml_state;
    pthread_mutex_unlock(&load_lock);
    if (state < 0) snprintf(error, error_length, "%s", xml_error);
    return state > 0 ? 0 : -1;
}

enum { XML_ELEMENT = 1, XML_TEXT = 3, XML_CDATA = 4, XML_END_ELEMENT = 15 };
// XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING: never fetch anything, print nothing.
enum { XML_OPTIONS = (1 << 11) | (1 << 5) | (1 << 6) };

int berth_xml_parse(const char *data, size_t length, void *context, berth_xml_event event) {
    void *reader = p_xmlReaderForMemory(data, (int)length, NULL, "UTF-8", XML_OPTIONS);
    if (!reader) return -1;
    int status;
    while ((status = p_xmlTextReaderRead(reader)) == 1) {
        switch (p_xmlTextReaderNodeType(reader)) {
        case XML_ELEMENT: {
            const char *name = (const char *)p_xmlTextReaderConstLocalName(reader);
            event(context, BERTH_XML_START, name, NULL);
            if (p_xmlTextReaderIsEmptyElement(reader)) event(context, BERTH_XML_END, name, NULL);
            break;
        }
        case XML_END_ELEMENT:
            event(context, BERTH_XML_END, (const char *)p_xmlTextReaderConstLocalName(reader), NULL);
            break;
        case XML_TEXT:
        case XML_CDATA:
            event(context, BERTH_XML_TEXT, NULL, (const char *)p_xmlTextReaderConstValue(reader));
            break;
        default: break;
        }
    }
    p_xmlFreeTextReader(reader);
    return status == 0 ? 0 : -1;
}

// MARK: signals

static volatile sig_atomic_t caught_signals = 0;
static struct sigaction previous_interrupt, previous_terminate;

static void note_signal(int number) {
    (void)number;
    caught_signals = caught_signals + 1;
}

// Installs nest: several commands running in one process (tests) share one installation, and
// the previous dispositions come back when the last one restores.
static pthread_mutex_t signals_lock = PTHREAD_MUTEX_INITIALIZER;
static int signals_installs = 0;

void berth_signals_install(void) {
    pthread_mutex_lock(&signals_lock);
    if (signals_installs++ == 0) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = note_signal;
        // Other threads' blocking calls resume instead of failing with EINTR.
        action.sa_flags = SA_RESTART;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &previous_interrupt);
        sigaction(SIGTERM, &action, &previous_terminate);
    }
    pthread_mutex_unlock(&signals_lock);
}

long berth_signals_count(void) {
    return (long)caught_signals;
}

void berth_signals_restore(void) {
    pthread_mutex_lock(&signals_lock);
    if (signals_installs > 0 && --signals_installs == 0) {
        sigaction(SIGINT, &previous_interrupt, NULL);
        sigaction(SIGTERM, &previous_terminate, NULL);
    }
    pthread_mutex_unlock(&signals_lock);
}

// MARK: a program in the foreground

static volatile sig_atomic_t foreground_child = 0;
static volatile sig_atomic_t pending_signal = 0;

static void forward_to_foreground_child(int number) {
    pid_t child = (pid_t)foreground_child;
    if (child > 0) {
        kill(child, number);
    } else {
        pending_signal = number;
    }
}

int berth_run_in_foreground(const char *path, char *const argv[], char *const envp[], int *spawn_error) {
    *spawn_error = 0;
    // SIGTERM and SIGHUP sent to berth go on to the child from before it starts (one that comes
    // first is sent once it has), instead of ending berth and leaving the child without it.
    struct sigaction forward, before_terminate, before_hangup;
    memset(&forward, 0, sizeof forward);
    forward.sa_handler = forward_to_foreground_child;
    forward.sa_flags = SA_RESTART;
    sigemptyset(&forward.sa_mask);
    pending_signal = 0;
    foreground_child = 0;
    sigaction(SIGTERM, &forward, &before_terminate);
    sigaction(SIGHUP, &forward, &before_hangup);
    // The terminal as it is now: a child ended by a signal may leave it without echo.
    struct termios terminal;
    int has_terminal = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &terminal) == 0;

    posix_spawnattr_t attributes;
    int result = posix_spawnattr_init(&attributes);
    pid_t child = 0;
    if (result == 0) {
        sigset_t none, defaults;
        sigemptyset(&none);
        sigemptyset(&defaults);
        const int reset[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGHUP, SIGTERM, SIGPIPE, SIGXFSZ};
        for (size_t index = 0; index < sizeof reset / sizeof reset[0]; index++) sigaddset(&defaults, reset[index]);
        result = posix_spawnattr_setsigmask(&attributes, &none);
        if (result == 0) result = posix_spawnattr_setsigdefault(&attributes, &defaults);
        // No POSIX_SPAWN_SETPGROUP: the child stays in berth's group, the terminal's foreground one.
        if (result == 0) result = posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        if (result == 0) result = posix_spawn(&child, path, NULL, &attributes, argv, envp);
        posix_spawnattr_destroy(&attributes);
    }
    int exit_status = -1;
    if (result != 0) {
        *spawn_error = result;
    } else {
        foreground_child = child;
        if (pending_signal != 0) kill(child, pending_signal);
        // Wait without reaping, stop forwarding, then reap: a signal never goes to a reused ID.
        siginfo_t info;
        int waited;
        while ((waited = waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT)) < 0 && errno == EINTR) {}
        foreground_child = 0;
        int status = 0;
        pid_t reaped;
        while ((reaped = waitpid(child, &status, 0)) < 0 && errno == EINTR) {}
        if (waited == 0 && reaped == child) {
            if (WIFEXITED(status)) exit_status = WEXITSTATUS(status);
            else if (WIFSIGNALED(status)) exit_status = 128 + WTERMSIG(status);
        }
    }
    if (has_terminal) tcsetattr(STDIN_FILENO, TCSANOW, &terminal);
    sigaction(SIGTERM, &before_terminate, NULL);
    sigaction(SIGHUP, &before_hangup, NULL);
    return exit_status;
}
