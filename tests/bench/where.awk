# where.awk: where a pool's time goes, from a system-wide profile.
#
#   perf script -F comm,pid,ip,sym,dso --comms COMM |
#       awk -v comm=COMM -v parent=PID -f where.awk
#
# Input: perf script's samples, each a "comm pid" line followed by its call
# chain, innermost frame first.  Each sample of COMM is put in one
# category by the outermost kernel entry in its chain (the system call,
# the seccomp filters run on entry, the page fault, the return from fork),
# or, in user space, by the library it ran in.  Output: one line per process kind and category,
# "pool|child<TAB>category<TAB>samples"; the pool is the process PID, its
# children are every other process of COMM.

# The library or program a frame's DSO belongs to.
function group(d) {
	gsub(/[()]/, "", d)
	sub(/.*\//, "", d)
	if (d ~ /^(libsystemd|libcap|libgcrypt|libgpg-error|liblz4|liblzma|libzstd)\./)
		return "libsystemd and the libraries it loads"
	if (d ~ /^(libc\.|ld-linux)/)
		return "libc and ld.so"
	if (d ~ /kernel/)
		return "the kernel"
	if (d == comm)
		return "the program"
	return "other code"
}

function flush(   who, cat, i, s, name, insys) {
	if (!have)
		return
	have = 0
	if (cur_comm != comm || nf == 0)
		return
	who = (cur_pid == parent) ? "pool" : "child"
	cat = ""
	insys = 0
	for (i = nf; i >= 1 && cat == ""; i--) {
		s = sym[i]
		if (s == "do_syscall_64")
			insys = 1
		if (s == "syscall_trace_enter")
			cat = "system call entry: the seccomp filters"
		else if (s ~ /^__(x64|do)_sys_/) {
			name = s
			sub(/^__(x64|do)_sys_/, "", name)
			if (name == "exit_group" || name == "exit")
				cat = "exit: the process torn down"
			else if (name ~ /^clone/ || name == "fork" || name == "vfork")
				cat = "fork"
			else
				cat = "system call " name
		} else if (s == "asm_exc_page_fault")
			cat = "page faults in " (i < nf ? group(dso[i + 1]) : "other code")
		else if (s ~ /^ret_from_fork/)
			cat = "the child's first run after fork"
		else if (s ~ /^asm_(sysvec|common_interrupt)/)
			cat = "interrupts"
		else if (s ~ /^(handle_softirqs|__do_softirq|net_rx_action)$/)
			cat = "network receive (softirq)"
	}
	if (cat == "" && insys)
		cat = "system call entry and exit, other"
	if (cat == "")
		cat = (group(dso[1]) == "the kernel") ? "kernel, other" : "user space: " group(dso[1])
	count[who "\t" cat]++
}

/^[^ \t]/ {
	flush()
	cur_comm = $1
	cur_pid = $2
	have = 1
	nf = 0
	next
}
/^[ \t]+[0-9a-f]+ / {
	nf++
	sym[nf] = $2
	dso[nf] = $NF
	next
}
/^[ \t]*$/ {
	flush()
}
END {
	flush()
	for (k in count)
		print k "\t" count[k]
}
