/*
 * For tests/bench/run only: sandbox_apply() without the sandbox, linked in
 * place of src/sandbox.c so that the benchmark can show what the rest of
 * the handler costs.  The benchmark runs handlers unprivileged; as this
 * drops nothing, it refuses to start as root.
 */
#include <sys/auxv.h>

#include "log.h"
#include "sandbox.h"

int
sandbox_apply(int docroot_fd, int pages_fd, const char *user, int flags)
{
	(void)docroot_fd;
	(void)pages_fd;
	(void)user;
	(void)flags;
	/* The ids at exec, read as src/sandbox.c reads them: no system call. */
	if (getauxval(AT_UID) == 0 || getauxval(AT_EUID) == 0) {
		log_message("this build has no sandbox and cannot drop root; "
		    "refusing to serve as root");
		return -1;
	}
	return 0;
}
