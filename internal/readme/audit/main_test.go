package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain runs the program itself when the test runs its own binary as
// the command (see audit).
func TestMain(m *testing.M) {
	if os.Getenv("README_AUDIT_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// audit runs the README's program on a shipped recording, its standard input.
func audit(t *testing.T, name string) (stdout, stderr string, code int) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "testdata", "recordings", name))
	require.NoError(t, err)
	defer f.Close()
	cmd := exec.Command(os.Args[0])
	cmd.Stdin = f
	cmd.Env = append(os.Environ(), "README_AUDIT_MAIN=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), exit.ExitCode()
	}
	require.NoError(t, err)
	return out.String(), errOut.String(), 0
}

// TestAudit: the README's library program prints the findings of the
// recordings and exits 1 when one is an error, 0 when none is.
func TestAudit(t *testing.T) {
	out, _, code := audit(t, "valid.har")
	assert.Equal(t, 0, code, out)
	assert.Empty(t, out)

	out, _, code = audit(t, "traffic.har")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "#2 error sid.format request.body#/Configuration.FlowSid: Configuration.FlowSid is not an FW SID")
	assert.Contains(t, out, "#2 info response.refused response.status: the server rightly refused the request")
	assert.Contains(t, out, "#6 error cors.credentials-wildcard")

	_, errOut, code := audit(t, "broken.har")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "stdin#", "the entry at fault")
}
