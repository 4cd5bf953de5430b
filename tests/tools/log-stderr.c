/*
 * The log for programs that link src/sandbox.c without the rest of the
 * handler: its messages go to stderr as "webserver: ..." lines, as with
 * --log stderr.  Input: messages from the sandbox code, trusted.
 */
#include <string.h>
#include <unistd.h>

#include "log.h"

void
log_message2(const char *msg, const char *detail)
{
	char line[512];
	size_t len = 0;
	const char *part[] = { "webserver: ", msg, detail };
	size_t i, n;

	for (i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
		if (part[i] == NULL)
			continue;
		n = strlen(part[i]);
		if (n > sizeof(line) - 1 - len)
			n = sizeof(line) - 1 - len;
		memcpy(line + len, part[i], n);
		len += n;
	}
	line[len++] = '\n';
	(void)!write(2, line, len);
}

void
log_message(const char *msg)
{
	log_message2(msg, NULL);
}
