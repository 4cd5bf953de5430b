/*
 * A peer's address as text, for the log: IPv4 dotted, IPv6 as RFC 5952
 * has it.  Input: addresses from the kernel, never text from the client.
 */
#ifndef ADDR_H
#define ADDR_H

#include <stddef.h>
#include <sys/socket.h>

#define ADDR_TEXT_MAX	46	/* INET6_ADDRSTRLEN: the longest text and its NUL */

/*
 * Parse the dotted IPv4 address s[0..len) strictly (four decimal numbers of
 * 0-255, no leading zeros, no sign, nothing else) into a[0..4).  Returns 0,
 * or -1.  Input: untrusted text.
 */
int	addr_parse_ipv4(const char *s, size_t len, unsigned char *a);

/*
 * Parse the IPv6 address s[0..len) as RFC 4291, section 2.2 writes it
 * (groups of one to four hex digits, at most one "::", an optional dotted
 * IPv4 tail) into a[0..16).  Returns 0, or -1.  Input: untrusted text.
 */
int	addr_parse_ipv6(const char *s, size_t len, unsigned char *a);

/* The dotted form of the IPv4 address a[0..4) into p (16 bytes), with a
 * NUL.  Returns its length. */
size_t	addr_format_ipv4(char *p, const unsigned char *a);

/*
 * The text form of the IPv6 address a[0..16) into p (40 bytes), with a NUL:
 * lower-case hex without leading zeros, and the longest run of two or
 * more zero groups (the first, if runs tie) as "::" (RFC 5952, section 4).
 * Returns its length.
 */
size_t	addr_format_ipv6(char *p, const unsigned char *a);

/*
 * An address as 16 bytes, IPv6; an IPv4 address a[0..4) as IPv4-mapped
 * (::ffff:a.b.c.d), so that one client has one form, however it arrived.
 */
void	addr_map_ipv4(unsigned char *a16, const unsigned char *a);

/*
 * The text of the 16-byte address a (see addr_map_ipv4()) into
 * buf[ADDR_TEXT_MAX]: an IPv4-mapped address as IPv4, any other as IPv6.
 * Returns its length.
 */
size_t	addr_format_ip(char *buf, const unsigned char *a);

/*
 * The key connections from one source share, from the 16-byte address a:
 * an IPv4 address, or the /64 an IPv6 address is in, since one host or home
 * network is given a whole /64 and could otherwise count as 2^64 sources.
 * An IPv4 key never equals an IPv6 one.
 */
void	addr_source_key(const unsigned char *a, unsigned char *key);

/*
 * The address in sa (AF_INET or AF_INET6; an IPv4-mapped IPv6 address as
 * IPv4) into buf[ADDR_TEXT_MAX].  Returns its length, or 0 for another
 * family (buf is then "").
 */
size_t	addr_format(const struct sockaddr_storage *sa, char *buf);

/* The peer address of the connected socket fd into buf[ADDR_TEXT_MAX].
 * Returns its length (0 for a family other than IPv4 and IPv6), or -1 with
 * errno set when fd has no peer (buf is then ""). */
int	addr_peer(int fd, char *buf);

#endif
