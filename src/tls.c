/*
 * HTTPS through OpenSSL 3, loaded with dlopen() when a certificate is
 * configured.  Trusts the files the command line names (read before the
 * sandbox); what a client sends reaches OpenSSL only, and its SNI our name
 * matching (src/tlsname.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "httpdate.h"
#include "log.h"
#include "tls.h"
#include "tlsname.h"

#include <dlfcn.h>
#include <sys/prctl.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/*
 * Every OpenSSL function used, looked up once: the handler links no
 * OpenSSL, so that plain HTTP maps none of it.  (libcrypto's come through
 * libssl, which needs it.)
 */
#define TLS_FUNCTIONS(X) \
	X(OPENSSL_init_ssl) X(TLS_server_method) X(SSL_CTX_new) \
	X(SSL_CTX_ctrl) X(SSL_CTX_callback_ctrl) X(SSL_CTX_set_options) \
	X(SSL_CTX_set_cipher_list) X(SSL_CTX_set_ciphersuites) \
	X(SSL_CTX_use_certificate) X(SSL_CTX_use_PrivateKey) \
	X(SSL_CTX_check_private_key) X(SSL_CTX_set_alpn_select_cb) \
	X(SSL_CTX_set_num_tickets) X(SSL_CTX_set_timeout) \
	X(SSL_CTX_set_tlsext_ticket_key_evp_cb) X(SSL_new) X(SSL_free) \
	X(SSL_set_fd) X(SSL_set_rfd) X(SSL_set_wfd) X(SSL_accept) X(SSL_read) \
	X(SSL_write) X(SSL_get_error) X(SSL_has_pending) X(SSL_shutdown) \
	X(SSL_get_servername) X(SSL_set_SSL_CTX) X(SSL_get_version) \
	X(SSL_sendfile) X(SSL_get_wbio) X(BIO_new_mem_buf) X(BIO_free) \
	X(BIO_ctrl) X(PEM_read_bio_X509) X(PEM_read_bio_PrivateKey) \
	X(X509_free) X(EVP_PKEY_free) X(X509_get_ext_d2i) X(OPENSSL_sk_num) \
	X(OPENSSL_sk_value) X(GENERAL_NAMES_free) X(ASN1_STRING_get0_data) \
	X(ASN1_STRING_length) X(ERR_get_error) X(ERR_peek_last_error) \
	X(ERR_error_string_n) X(ERR_clear_error) X(EVP_aes_256_cbc) \
	X(EVP_EncryptInit_ex) X(EVP_DecryptInit_ex) X(EVP_MAC_CTX_set_params) \
	X(OSSL_PARAM_construct_octet_string) X(OSSL_PARAM_construct_utf8_string) \
	X(OSSL_PARAM_construct_end) X(RAND_bytes) X(OPENSSL_cleanse)

static struct {
#define TLS_DECLARE(f) __typeof__(f) *f;
	TLS_FUNCTIONS(TLS_DECLARE)
} ossl;

/* A certificate and its key, in a context of its own, with the DNS names
 * that choose it. */
struct site {
	SSL_CTX *ctx;
	char *names;		/* NUL-separated */
	size_t names_len;
};

static struct site sites[TLS_PAIRS_MAX];
static unsigned n_sites;

/* Session ticket keys, in the 80-byte layout nginx's
 * ssl_session_ticket_key files have. */
struct ticket_key {
	unsigned char name[16];
	unsigned char hmac[32];
	unsigned char aes[32];
};
static struct ticket_key keys[TLS_TICKET_KEYS_MAX];
static unsigned n_keys;
static int rotating;
static int64_t key_made_ms;

/* The Mozilla "intermediate" choice, as nginx and HAProxy set it. */
static const char ciphers12[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"
    "DHE-RSA-CHACHA20-POLY1305";
static const char ciphers13[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
static const char groups[] = "X25519:prime256v1:secp384r1";

/* Log msg with the file and OpenSSL's reason. */
static int
fail(const char *msg, const char *file)
{
	char detail[512], reason[256];
	unsigned long e = ossl.ERR_peek_last_error != NULL ?
	    ossl.ERR_peek_last_error() : 0;
	size_t n = strlen(file);

	if (n > 200)
		n = 200;
	memcpy(detail, file, n);
	detail[n] = '\0';
	if (e != 0) {
		ossl.ERR_error_string_n(e, reason, sizeof(reason));
		strcat(detail, ": ");
		strncat(detail, reason, sizeof(detail) - strlen(detail) - 1);
		ossl.ERR_clear_error();
	}
	log_message2(msg, detail);
	return -1;
}

/*
 * Read all of path (at most TLS_FILE_MAX bytes) into a new buffer, which
 * the caller wipes and frees.  Runs as the user started, before root is
 * dropped: a key readable by root alone is read here.
 */
static int
read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > TLS_FILE_MAX) {
		if (fd != -1)
			close(fd);
		log_message2("cannot read a TLS file (a regular file of at most "
		    "1 MiB): ", path);
		return -1;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (*buf == NULL) {
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size &&
	    (n = read(fd, *buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	*len = got;
	return 0;
}

static void
wipe_free(char *buf, size_t len)
{
	if (buf == NULL)
		return;
	ossl.OPENSSL_cleanse(buf, len);
	free(buf);
}

/* The i-th of gens when it is a DNS name of a possible length, else NULL. */
static const unsigned char *
dns_name(const GENERAL_NAMES *gens, int i, size_t *len)
{
	const GENERAL_NAME *g = ossl.OPENSSL_sk_value((const OPENSSL_STACK *)gens, i);
	int n;

	if (g == NULL || g->type != GEN_DNS)
		return NULL;
	n = ossl.ASN1_STRING_length(g->d.dNSName);
	if (n <= 0 || n > 253)
		return NULL;
	*len = (size_t)n;
	return ossl.ASN1_STRING_get0_data(g->d.dNSName);
}

/* The DNS names of the certificate x, for SNI to choose it by. */
static int
site_names(struct site *st, X509 *x)
{
	GENERAL_NAMES *gens = ossl.X509_get_ext_d2i(x, NID_subject_alt_name,
	    NULL, NULL);
	const unsigned char *name;
	size_t len, all = 0;
	int i, count;

	if (gens == NULL)
		return 0;	/* no names: chosen as the first, or not at all */
	count = ossl.OPENSSL_sk_num((const OPENSSL_STACK *)gens);
	for (i = 0; i < count; i++)
		if (dns_name(gens, i, &len) != NULL)
			all += len + 1;
	st->names = malloc(all + 1);
	for (i = 0; st->names != NULL && i < count; i++)
		if ((name = dns_name(gens, i, &len)) != NULL) {
			memcpy(st->names + st->names_len, name, len);
			st->names_len += len;
			st->names[st->names_len++] = '\0';
		}
	ossl.GENERAL_NAMES_free(gens);
	return st->names != NULL ? 0 : -1;
}

/*
 * SNI: the first pair whose certificate names the host the client asked
 * for serves it; a client that names none, or no host, gets the first.
 */
static int
choose_site(SSL *s, int *alert, void *arg)
{
	const char *name = ossl.SSL_get_servername(s, TLSEXT_NAMETYPE_host_name);
	size_t len, off;
	unsigned i;

	(void)alert;
	(void)arg;
	if (name == NULL)
		return SSL_TLSEXT_ERR_NOACK;
	len = strlen(name);
	for (i = 0; i < n_sites; i++)
		for (off = 0; off < sites[i].names_len;
		    off += strlen(sites[i].names + off) + 1)
			if (tls_name_match(sites[i].names + off,
			    strlen(sites[i].names + off), name, len)) {
				if (i > 0)
					(void)ossl.SSL_set_SSL_CTX(s, sites[i].ctx);
				return SSL_TLSEXT_ERR_OK;
			}
	return SSL_TLSEXT_ERR_OK;
}

/*
 * ALPN: HTTP/1.1 (or 1.0) only.  A client that offers other protocols
 * alone (h2 only) gets the no_application_protocol alert RFC 7301 asks
 * for, rather than an HTTP/1.1 answer to bytes of another protocol.  A
 * client that offers none is served HTTP/1.1.
 */
static int
choose_alpn(SSL *s, const unsigned char **out, unsigned char *outlen,
    const unsigned char *in, unsigned int inlen, void *arg)
{
	unsigned i, n, found10 = 0;

	(void)s;
	(void)arg;
	for (i = 0; i < inlen; i += 1 + n) {
		n = in[i];
		if (n == 0 || n > inlen - i - 1)
			break;
		if (n == 8 && memcmp(in + i + 1, "http/1.1", 8) == 0) {
			*out = in + i + 1;
			*outlen = 8;
			return SSL_TLSEXT_ERR_OK;
		}
		if (n == 8 && memcmp(in + i + 1, "http/1.0", 8) == 0 && !found10)
			found10 = i + 1;
	}
	if (found10) {
		*out = in + found10;
		*outlen = 8;
		return SSL_TLSEXT_ERR_OK;
	}
	return SSL_TLSEXT_ERR_ALERT_FATAL;
}

/*
 * Security: session tickets are sealed with our keys, AES-256-CBC with
 * HMAC-SHA256 as OpenSSL's own, so that every process that has them can
 * resume a session another made.  The first key seals; any decrypts; one
 * under a key no longer held means a full handshake.  A resumed session
 * always gets a new ticket (return 2), under the current key: TLS 1.3
 * clients use a ticket once (RFC 8446, appendix C.4), and would otherwise
 * make a full handshake every other connection.
 */
static int
ticket_key(SSL *s, unsigned char *name, unsigned char *iv,
    EVP_CIPHER_CTX *ectx, EVP_MAC_CTX *hctx, int enc)
{
	OSSL_PARAM params[3];
	const struct ticket_key *k;
	unsigned i = 0;

	(void)s;
	if (enc) {
		k = &keys[0];
		memcpy(name, k->name, sizeof(k->name));
		if (ossl.RAND_bytes(iv, 16) != 1 ||
		    ossl.EVP_EncryptInit_ex(ectx, ossl.EVP_aes_256_cbc(), NULL,
		    k->aes, iv) != 1)
			return -1;
	} else {
		while (i < n_keys && memcmp(name, keys[i].name, 16) != 0)
			i++;
		if (i == n_keys)
			return 0;
		k = &keys[i];
		if (ossl.EVP_DecryptInit_ex(ectx, ossl.EVP_aes_256_cbc(), NULL,
		    k->aes, iv) != 1)
			return -1;
	}
	params[0] = ossl.OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY,
	    (void *)k->hmac, sizeof(k->hmac));
	params[1] = ossl.OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	params[2] = ossl.OSSL_PARAM_construct_end();
	if (ossl.EVP_MAC_CTX_set_params(hctx, params) != 1)
		return -1;
	return enc ? 1 : 2;
}

/* A new random key first; the one before it is kept to decrypt. */
static int
ticket_key_new(void)
{
	struct ticket_key k;

	if (syscall(SYS_getrandom, &k, sizeof(k), 0) != (long)sizeof(k))
		return -1;
	keys[1] = keys[0];
	keys[0] = k;
	n_keys = n_keys == 0 ? 1 : 2;
	ossl.OPENSSL_cleanse(&k, sizeof(k));
	key_made_ms = httpdate_mono_ms();
	return 0;
}

void
tls_tickets_tick(int64_t now)
{
	if (rotating && now - key_made_ms >= (int64_t)TLS_TICKET_ROTATE_SEC * 1000)
		(void)ticket_key_new();
}

static int
ticket_keys_read(const char *path)
{
	char *buf = NULL;
	size_t len = 0;

	if (read_file(path, &buf, &len) == -1)
		return -1;
	if (len == 0 || len % sizeof(struct ticket_key) != 0 ||
	    len / sizeof(struct ticket_key) > TLS_TICKET_KEYS_MAX) {
		wipe_free(buf, len);
		log_message2("a ticket key file holds 1 to 4 keys of 80 bytes: ",
		    path);
		return -1;
	}
	memcpy(keys, buf, len);
	n_keys = (unsigned)(len / sizeof(struct ticket_key));
	wipe_free(buf, len);
	return 0;
}

/* One context for a certificate file and its key (from key, or from the
 * certificate file when key is NULL); kernel TLS asked for when ktls. */
static int
site_make(struct site *st, const struct tls_pair *p, int tickets, int ktls)
{
	char *pem = NULL, *kpem = NULL;
	size_t pem_len = 0, kpem_len = 0;
	BIO *b = NULL;
	X509 *x = NULL;
	EVP_PKEY *pkey = NULL;
	SSL_CTX *ctx;
	int r = -1;

	ctx = st->ctx = ossl.SSL_CTX_new(ossl.TLS_server_method());
	if (ctx == NULL)
		return fail("cannot make a TLS context: ", p->cert);
	/*
	 * Security: TLS 1.2 and 1.3 only, the intermediate ciphers, no
	 * renegotiation, no compression, no session cache (a process serves
	 * one connection: tickets carry resumption).
	 */
	if (ossl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION,
	    NULL) != 1 ||
	    ossl.SSL_CTX_set_cipher_list(ctx, ciphers12) != 1 ||
	    ossl.SSL_CTX_set_ciphersuites(ctx, ciphers13) != 1 ||
	    ossl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_GROUPS_LIST, 0,
	    (void *)groups) != 1)
		return fail("cannot set the TLS protocols: ", p->cert);
	(void)ossl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_DH_AUTO, 1, NULL);
	(void)ossl.SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_NO_COMPRESSION | (ktls ? SSL_OP_ENABLE_KTLS : 0) |
	    SSL_OP_IGNORE_UNEXPECTED_EOF | (tickets ? 0 : SSL_OP_NO_TICKET));
	(void)ossl.SSL_CTX_ctrl(ctx, SSL_CTRL_MODE, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, NULL);
	(void)ossl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE,
	    SSL_SESS_CACHE_OFF, NULL);
	/* Read what has come in one call, not a record header and then its
	 * body (tls_pending() tells what is held). */
	(void)ossl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_READ_AHEAD, 1, NULL);
	if (tickets) {
		(void)ossl.SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_key);
		(void)ossl.SSL_CTX_set_timeout(ctx, TLS_TICKET_ROTATE_SEC);
		/* One ticket: a client resumes with one at a time. */
		(void)ossl.SSL_CTX_set_num_tickets(ctx, 1);
	} else
		(void)ossl.SSL_CTX_set_num_tickets(ctx, 0);
	ossl.SSL_CTX_set_alpn_select_cb(ctx, choose_alpn, NULL);
	(void)ossl.SSL_CTX_callback_ctrl(ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
	    (void (*)(void))choose_site);

	if (read_file(p->cert, &pem, &pem_len) == -1)
		goto out;
	if (p->key != NULL && read_file(p->key, &kpem, &kpem_len) == -1)
		goto out;
	/* The certificate, then the chain after it. */
	if ((b = ossl.BIO_new_mem_buf(pem, (int)pem_len)) == NULL ||
	    (x = ossl.PEM_read_bio_X509(b, NULL, NULL, NULL)) == NULL) {
		fail("no certificate in ", p->cert);
		goto out;
	}
	if (ossl.SSL_CTX_use_certificate(ctx, x) != 1 || site_names(st, x) == -1) {
		fail("cannot use the certificate in ", p->cert);
		goto out;
	}
	for (;;) {
		X509 *ca = ossl.PEM_read_bio_X509(b, NULL, NULL, NULL);

		if (ca == NULL)
			break;
		if (ossl.SSL_CTX_ctrl(ctx, SSL_CTRL_CHAIN_CERT, 0, ca) != 1) {
			ossl.X509_free(ca);
			fail("cannot use the chain in ", p->cert);
			goto out;
		}
	}
	ossl.ERR_clear_error();	/* the end of the file */
	ossl.BIO_free(b);
	b = kpem != NULL ? ossl.BIO_new_mem_buf(kpem, (int)kpem_len) :
	    ossl.BIO_new_mem_buf(pem, (int)pem_len);
	if (b == NULL ||
	    (pkey = ossl.PEM_read_bio_PrivateKey(b, NULL, NULL, NULL)) == NULL) {
		fail("no private key in ", p->key != NULL ? p->key : p->cert);
		goto out;
	}
	if (ossl.SSL_CTX_use_PrivateKey(ctx, pkey) != 1 ||
	    ossl.SSL_CTX_check_private_key(ctx) != 1) {
		fail("the private key does not match the certificate: ",
		    p->key != NULL ? p->key : p->cert);
		goto out;
	}
	r = 0;
out:
	if (b != NULL)
		ossl.BIO_free(b);
	if (x != NULL)
		ossl.X509_free(x);
	if (pkey != NULL)
		ossl.EVP_PKEY_free(pkey);
	/* Security: the PEM text of the key is wiped at once; the key
	 * itself lives in the context (see tls_setup()). */
	wipe_free(pem, pem_len);
	wipe_free(kpem, kpem_len);
	return r;
}

/*
 * Whether the kernel offers kernel TLS: "tls" among its TCP upper layer
 * protocols.  OpenSSL hands a connection's encryption to the kernel after
 * the handshake only then (and for the cipher suites it takes), and then
 * files go out with SSL_sendfile(); else every byte is encrypted in the
 * process.
 */
static int
kernel_offers_tls(void)
{
	char buf[256];
	ssize_t n = -1;
	int fd = openat(AT_FDCWD, "/proc/sys/net/ipv4/tcp_available_ulp",
	    O_RDONLY | O_CLOEXEC);
	const char *p;

	if (fd != -1) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	for (p = buf; (p = strstr(p, "tls")) != NULL; p += 3)
		if ((p == buf || p[-1] == ' ') && (p[3] == ' ' || p[3] == '\n' ||
		    p[3] == '\0'))
			return 1;
	return 0;
}

void
tls_preload(void)
{
	(void)dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL);
}

int
tls_setup(const struct tls_pair *pairs, unsigned n, const char *ticket_keys,
    int pool)
{
	void *h;
	unsigned i;
	int ktls = 1;

	/*
	 * Security: the private key is in this process from here on, so no
	 * core dump is written and no process of this user may attach to
	 * it or read its memory through /proc (a pool's children inherit
	 * this).
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return -1;
	h = dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		log_message2("cannot load OpenSSL 3 (libssl3) for TLS: ", dlerror());
		return -1;
	}
#define TLS_LOOKUP(f) \
	if ((*(void **)&ossl.f = dlsym(h, #f)) == NULL) { \
		log_message2("OpenSSL lacks ", #f); \
		return -1; \
	}
	TLS_FUNCTIONS(TLS_LOOKUP)
	/*
	 * Security: no configuration file (OPENSSL_CONF could name one that
	 * loads an engine or a provider), and everything OpenSSL sets up on
	 * first use done now, before the sandbox: its random generator is
	 * seeded here, so that no handshake opens a file.
	 */
	if (ossl.OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG |
	    OPENSSL_INIT_NO_ATEXIT, NULL) != 1) {
		log_message("cannot initialise OpenSSL");
		return -1;
	}
	{
		unsigned char warm[16];

		if (ossl.RAND_bytes(warm, sizeof(warm)) != 1)
			return fail("OpenSSL has no random numbers: ", "RAND_bytes");
	}
	if (ticket_keys != NULL) {
		if (ticket_keys_read(ticket_keys) == -1)
			return -1;
	} else if (pool) {
		if (ticket_key_new() == -1)
			return -1;
		rotating = 1;
	}
	/* A pool asks the kernel once, and says which way bodies go: where
	 * it has no kernel TLS, its children do not try it (two failing
	 * calls a connection).  A process per connection lets OpenSSL try,
	 * which costs no more than asking. */
	if (pool) {
		ktls = kernel_offers_tls();
		log_message(ktls ? "TLS: the kernel offers kernel TLS; bodies go "
		    "out with SSL_sendfile() where a connection takes it" :
		    "TLS: the kernel offers no kernel TLS (no tls in "
		    "tcp_available_ulp); bodies are encrypted by OpenSSL");
	}
	for (i = 0; i < n; i++)
		if (site_make(&sites[i], &pairs[i], n_keys > 0, ktls) == -1)
			return -1;
	n_sites = n;
	return 0;
}

struct ssl_st *
tls_new(int in, int out)
{
	SSL *s = ossl.SSL_new(sites[0].ctx);

	if (s == NULL)
		return NULL;
	if ((in == out ? ossl.SSL_set_fd(s, in) :
	    ossl.SSL_set_rfd(s, in) && ossl.SSL_set_wfd(s, out)) != 1) {
		ossl.SSL_free(s);
		return NULL;
	}
	return s;
}

void
tls_free(struct ssl_st *s)
{
	ossl.SSL_free(s);
}

/* What an operation that returned r wants: 0 to wait (*events set), or -1
 * for a failure (errno set; EPIPE for a clean close). */
static int
want(SSL *s, int r, short *events)
{
	int e = ossl.SSL_get_error(s, r);

	ossl.ERR_clear_error();
	switch (e) {
	case SSL_ERROR_WANT_READ:
		*events = POLLIN;
		errno = EAGAIN;
		return 0;
	case SSL_ERROR_WANT_WRITE:
		*events = POLLOUT;
		errno = EAGAIN;
		return 0;
	case SSL_ERROR_ZERO_RETURN:
		errno = EPIPE;
		return -1;
	default:
		errno = ECONNRESET;
		return -1;
	}
}

int
tls_handshake(struct ssl_st *s, short *events)
{
	int r = ossl.SSL_accept(s);

	if (r == 1)
		return 1;
	return want(s, r, events) == 0 ? 0 : -1;
}

ssize_t
tls_read(struct ssl_st *s, void *buf, size_t len, short *events)
{
	int r = ossl.SSL_read(s, buf, len > INT32_MAX ? INT32_MAX : (int)len);

	if (r > 0)
		return r;
	if (want(s, r, events) == 0)
		return -1;
	return errno == EPIPE ? 0 : -1;
}

ssize_t
tls_write(struct ssl_st *s, const void *buf, size_t len, short *events)
{
	int r = ossl.SSL_write(s, buf, len > INT32_MAX ? INT32_MAX : (int)len);

	if (r > 0)
		return r;
	(void)want(s, r, events);
	return -1;
}

ssize_t
tls_sendfile(struct ssl_st *s, int fd, off_t off, size_t count, short *events)
{
	ossl_ssize_t r = ossl.SSL_sendfile(s, fd, off, count, 0);

	if (r > 0)
		return (ssize_t)r;
	(void)want(s, (int)r, events);
	return -1;
}

int
tls_pending(const struct ssl_st *s)
{
	return ossl.SSL_has_pending(s);
}

int
tls_kernel_send(struct ssl_st *s)
{
	return ossl.BIO_ctrl(ossl.SSL_get_wbio(s), BIO_CTRL_GET_KTLS_SEND, 0,
	    NULL) > 0;
}

const char *
tls_version(const struct ssl_st *s)
{
	return ossl.SSL_get_version(s);
}

const char *
tls_sni(const struct ssl_st *s, size_t *len)
{
	const char *name = ossl.SSL_get_servername(s, TLSEXT_NAMETYPE_host_name);

	*len = name != NULL ? strlen(name) : 0;
	return name;
}

void
tls_close_notify(struct ssl_st *s)
{
	(void)ossl.SSL_shutdown(s);
	ossl.ERR_clear_error();
}

