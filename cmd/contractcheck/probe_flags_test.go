package main

import (
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProbeQuietWithAnyFormat: probe --quiet silences the line per request
// whatever the report's format; the report is whole.
func TestProbeQuietWithAnyFormat(t *testing.T) {
	srv := start(t, "serve", "--addr", "127.0.0.1:0", "--quiet")
	res := runArgs(t, "", "probe", "--base-url", "http://"+srv.addr, "--format", "junit", "--quiet")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, res.stderr, "no line per request")
	var suites struct {
		Suites []struct {
			Tests int `xml:"tests,attr"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal([]byte(res.stdout), &suites), res.stdout)
	total := 0
	for _, s := range suites.Suites {
		total += s.Tests
	}
	assert.Equal(t, 10, total, "a test case per request")

	res = runArgs(t, "", "probe", "--base-url", "http://"+srv.addr)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "contractcheck probe: example.create", "without --quiet, a line per request")
}

// TestProbeRefusesABadAccountFromTheEnvironment: TWILIO_ACCOUNT_SID is held
// to the shape of --account-sid, and named; its value is not printed.
func TestProbeRefusesABadAccountFromTheEnvironment(t *testing.T) {
	t.Setenv("TWILIO_ACCOUNT_SID", testToken)
	t.Setenv("TWILIO_AUTH_TOKEN", testToken)
	res := runArgs(t, "", "probe", "--base-url", "http://127.0.0.1:9")
	assert.Equal(t, exitError, res.code)
	assertUsageError(t, res.stderr)
	assert.Contains(t, res.stderr, "contractcheck probe: TWILIO_ACCOUNT_SID must be an account SID, AC followed by 32 hex digits (34 characters); it has 32 characters")
	assert.NotContains(t, res.stderr, testToken)
}
