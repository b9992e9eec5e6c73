//go:build windows

package driver

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// shellCommand runs command with "cmd /c". The command line is handed to cmd.exe as written
// (Go's argument quoting would escape its quotes for a C program, not for cmd.exe).
func shellCommand(command string) *exec.Cmd {
	comspec := os.Getenv("ComSpec")
	if comspec == "" {
		comspec = filepath.Join(os.Getenv("SystemRoot"), "System32", "cmd.exe")
	}
	cmd := exec.Command(comspec)
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: `"` + comspec + `" /d /s /c "` + command + `"`}
	return cmd
}

// setProcessGroup keeps the default: Windows has no process groups to signal.
func setProcessGroup(cmd *exec.Cmd) {}

// terminate kills the driver process.
func terminate(cmd *exec.Cmd, kill bool) { cmd.Process.Kill() }
