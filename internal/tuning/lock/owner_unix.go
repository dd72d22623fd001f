//go:build unix

package lock

import (
	"errors"
	"os"
	"syscall"
)

// OwnerGone tells a run whose process is known to be dead: one started on
// this host whose pid no longer exists, as after a SIGKILL and a re-apply on
// the same machine. Any other owner (another host, an unreadable host name)
// is left to its lease. Signal 0 only checks that the pid exists.
func OwnerGone(host string, pid int) bool {
	if host == "" || host != Host() || pid <= 0 || pid == os.Getpid() {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
