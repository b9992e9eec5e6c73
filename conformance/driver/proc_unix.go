//go:build unix

package driver

import (
	"os/exec"
	"syscall"
)

// shellCommand runs command with "sh -c".
func shellCommand(command string) *exec.Cmd { return exec.Command("sh", "-c", command) }

// setProcessGroup puts the driver in a process group of its own, so that terminate reaches
// whatever the driver (or its shell) started.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// terminate signals the driver's process group: SIGTERM, or SIGKILL if kill.
func terminate(cmd *exec.Cmd, kill bool) {
	sig := syscall.SIGTERM
	if kill {
		sig = syscall.SIGKILL
	}
	syscall.Kill(-cmd.Process.Pid, sig)
}
