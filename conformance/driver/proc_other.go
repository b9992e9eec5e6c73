//go:build !unix

package driver

import "os/exec"

func setProcessGroup(cmd *exec.Cmd) {}

func terminate(cmd *exec.Cmd, kill bool) { cmd.Process.Kill() }
