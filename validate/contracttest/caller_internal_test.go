package contracttest

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestInStdlib: standard library frames are told from the test's and its
// dependencies', as the binary names files, and in a -trimpath build.
func TestInStdlib(t *testing.T) {
	assert.NotEmpty(t, goroot, "the binary names net/http's files")
	for file, want := range map[string]bool{
		goroot + "net/http/client.go":                                           true,
		goroot + "testing/testing.go":                                           true,
		"net/http/client.go":                                                    true, // -trimpath
		"/home/dev/app/webhooks/webhooks_test.go":                               false,
		"example.com/app/webhooks/webhooks_test.go":                             false, // -trimpath
		"github.com/twilio/twilio-go@v1.31.0/client/client.go":                  false, // -trimpath
		"/root/go/pkg/mod/github.com/twilio/twilio-go@v1.31.0/client/client.go": false,
	} {
		assert.Equal(t, want, inStdlib(runtime.Frame{File: file}), file)
	}
}

func TestFuncName(t *testing.T) {
	for fn, want := range map[string]string{
		"example.com/app/webhooks.TestCreate.func1": "TestCreate.func1",
		"example.com/app/webhooks.(*client).post":   "(*client).post",
		"main.main": "main",
	} {
		assert.Equal(t, want, funcName(fn))
	}
}
