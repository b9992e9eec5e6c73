//go:build !unix && !windows

package driver

import "os/exec"

// shellCommand runs command with "sh -c".
func shellCommand(command string) *exec.Cmd { return exec.Command("sh", "-c", command) }

func setProcessGroup(cmd *exec.Cmd) {}

func terminate(cmd *exec.Cmd, kill bool) { cmd.Process.Kill() }
