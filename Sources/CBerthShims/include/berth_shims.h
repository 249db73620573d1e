// Small C shims over the system's libcrypto (OpenSSL), libcurl and libxml2.
//
// The libraries are loaded with dlopen on first use, not linked: a `berth synth` never touches
// the network, and linking libcurl's dependency tree would add milliseconds and megabytes to
// every process start. Each loader returns 0 on success, or -1 with a message in `error`.
#ifndef BERTH_SHIMS_H
#define BERTH_SHIMS_H

#include <stddef.h>
#include <stdint.h>

// MARK: libcrypto

int berth_crypto_load(char *error, size_t error_length);
/// SHA-256 of `data`; `digest` receives 32 bytes.
int berth_sha256(const void *data, size_t length, uint8_t *digest);
/// HMAC-SHA256 of `data` under `key`; `mac` receives 32 bytes.
int berth_hmac_sha256(const void *key, size_t key_length, const void *data, size_t length, uint8_t *mac);
/// What kind of public key `key` is (PEM or DER SubjectPublicKeyInfo): 1 RSA, 2 EC on the named
/// curve P-256 with an uncompressed point, 4 another EC key, 3 another type, with its size in
/// bits in `bits`; -1 no key libcrypto reads, -2 libcrypto is missing.
int berth_public_key_kind(const uint8_t *key, size_t key_length, int *bits);
/// Verifies `signature` over `data` with SHA-256 under the public key `key` (PEM or DER
/// SubjectPublicKeyInfo; an ECDSA signature is ASN.1 DER): 1 valid, 0 not valid, -1 the key
/// cannot be read, -2 libcrypto is missing.
int berth_verify_sha256(const uint8_t *key, size_t key_length, const void *data, size_t length, const uint8_t *signature,
                        size_t signature_length);

/// Verifies the PEM certificate `leaf` up to a certificate of `trusted` (PEM, self-signed roots),
/// through the PEM certificates of `untrusted`, as at `at_time` (seconds since 1970): 1 valid,
/// 0 not valid (with libcrypto's reason in `error`), -1 `leaf` is no certificate, -2 libcrypto
/// is missing.
int berth_x509_verify(const uint8_t *leaf, size_t leaf_length, const uint8_t *untrusted, size_t untrusted_length,
                      const uint8_t *trusted, size_t trusted_length, int64_t at_time, char *error, size_t error_length);
/// The validity (seconds since 1970) and DER SubjectPublicKeyInfo of the PEM certificate `pem`;
/// `public_key_length` holds the buffer's size and receives the key's: 0, or -1 when it is no
/// certificate (or the key does not fit), -2 libcrypto is missing.
int berth_x509_facts(const uint8_t *pem, size_t length, int64_t *not_before, int64_t *not_after, uint8_t *public_key,
                     size_t *public_key_length);
/// The `index`th subject alternative name of `pem`: returns its GENERAL_NAME type (1 email, 2 DNS,
/// 6 URI, …) with an email, DNS or URI value copied to `value` (`value_length` is the size in,
/// the value's length out; 0 for other types; a length larger than the size means the value did
/// not fit and was not copied), -1 past the last, -2 no certificate or no libcrypto.
int berth_x509_san(const uint8_t *pem, size_t length, int index, uint8_t *value, size_t *value_length);
/// The raw value (the extension's OCTET STRING contents) of the extension `oid` (dotted) of `pem`:
/// 1 found, 0 absent, 2 present but not copied (too long for the buffer, or unreadable), -1 no
/// certificate, -2 libcrypto is missing.
int berth_x509_extension(const uint8_t *pem, size_t length, const char *oid, uint8_t *value, size_t *value_length);

// MARK: libcurl

typedef struct berth_http_request {
    const char *method;
    const char *url;
    /// "Name: value" lines.
    const char *const *headers;
    size_t header_count;
    const uint8_t *body;
    size_t body_length;
    long connect_timeout_ms;
    long timeout_ms;
    /// A CA bundle file to trust instead of the system's; NULL for the default.
    const char *ca_bundle;
    /// The proxy URL; NULL or "" for none (curl's own environment lookup is never used).
    const char *proxy;
    /// Hosts that bypass the proxy (curl's NO_PROXY syntax); NULL for none.
    const char *no_proxy;
    /// The most bytes of body read before the transfer stops; 0 for the default, 64 MiB.
    size_t body_limit;
    /// NULL, or a flag that stops the transfer (within about a second) once raised with
    /// berth_flag_raise: a command interrupted or out of time does not wait for an answer.
    const int *stop;
} berth_http_request;

typedef struct berth_http_response {
    long status;
    /// The body; malloc'd, free with berth_http_response_free.
    uint8_t *body;
    size_t body_length;
    /// The raw header block of the final response; malloc'd.
    char *headers;
    size_t headers_length;
    /// 0, or the CURLcode of a transport failure.
    int error_code;
    /// 1 when the failure was a time-out, 2 when the connection failed or dropped, 3 when the
    /// body went past the request's `body_limit`, 4 when the request's `stop` flag stopped it.
    int error_kind;
    char error_message[256];
} berth_http_response;

int berth_curl_load(char *error, size_t error_length);
/// A reusable easy handle: requests made through one handle reuse its connections.
void *berth_http_handle_new(void);
void berth_http_handle_free(void *handle);
/// Performs one request; fills `response` (free it with berth_http_response_free).
void berth_http_perform(void *handle, const berth_http_request *request, berth_http_response *response);
void berth_http_response_free(berth_http_response *response);
/// Raises a request's `stop` flag (atomically: the transfer reads it on another thread).
void berth_flag_raise(int *flag);

// MARK: libxml2

enum { BERTH_XML_START = 1, BERTH_XML_END = 2, BERTH_XML_TEXT = 3 };
typedef void (*berth_xml_event)(void *context, int kind, const char *name, const char *text);

int berth_xml_load(char *error, size_t error_length);
/// Streams `data` as start, end and text events; returns 0, or -1 when it is not well-formed XML.
int berth_xml_parse(const char *data, size_t length, void *context, berth_xml_event event);

// MARK: signals

/// Catches SIGINT and SIGTERM until berth_signals_restore: they only set a flag. Calls nest.
void berth_signals_install(void);
/// How many signals were caught since the process started: every command running in the
/// process sees each one (a count, not a flag that the first reader would clear).
long berth_signals_count(void);
/// Puts back the dispositions berth_signals_install replaced.
void berth_signals_restore(void);

// MARK: a program in the foreground

/// Runs `path` with `argv` and `envp` (NULL-terminated) and waits for it: in berth's own process
/// group, so that it shares the terminal with berth (its keyboard, Ctrl-C and Ctrl-Z reach it),
/// with no signal blocked and the job-control and termination signals at their defaults,
/// whatever berth has ignored or blocked, as a shell starts a command. SIGTERM and SIGHUP that
/// berth gets meanwhile go on to it, and the terminal's settings are put back afterwards.
/// Returns its exit status, or 128 + the signal that ended it; -1 when it could not be started
/// (the error number in `spawn_error`) or waited for.
int berth_run_in_foreground(const char *path, char *const argv[], char *const envp[], int *spawn_error);

#endif
