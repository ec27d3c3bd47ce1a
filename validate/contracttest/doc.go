// Package contracttest brings contractcheck's checks into go test: a failing
// test, with a readable message, whenever an exchange of Twilio
// Conversations' "Create a conversation-scoped webhook" operation breaks its
// contract.
//
// Four entry points, for four places a test stands:
//
//   - [AssertExchange] and [RequireExchange] check one request and its
//     response, testify-style; [AssertRecorded] and [RequireRecorded] check
//     the request a handler was served and the httptest.ResponseRecorder it
//     wrote to.
//   - [Transport] wraps the http.RoundTripper of the code under test (a client
//     of the operation) and checks every exchange it makes.
//   - [Handler] wraps the http.Handler under test (a server of the operation)
//     and checks every request it receives and every response it writes.
//   - [NewServer] starts a fake of the endpoint ([Fake] in an
//     httptest.Server): a request that keeps the contract gets a 201 whose
//     body keeps it too; one that breaks it gets the 400 Twilio returns, and
//     the test fails.
//
// Nothing here re-implements a rule: every check is [validate.Plan.Check] or
// [validate.Plan.CheckRequest] of the embedded contract ([validate.Embedded])
// or of the plan given with [WithPlan], and every failure message is the
// text report contractcheck prints (rule, location, message, want, got, hint
// and contract line of each finding, in the checker's stable order), with
// secrets redacted.
//
// A test fails when a finding reaches the threshold of [FailOn] (errors by
// default, as for contractcheck check) and is not one the test expects
// ([ExpectViolation]); findings below the threshold, such as the note of
// rule response.refused when a server rightly refuses a broken request with
// a 4xx, are logged when the test value has a Logf method, as *testing.T
// has.
//
// Each broken exchange is reported once, at the line of the test that made
// the request (the first caller outside contractcheck and the standard
// library, preferring a _test.go file), as testify's assertions report:
// the assertions from the test's goroutine; a [Transport] from the
// goroutine that made the request, below net/http; a [Server] from its own
// goroutine, with the stack its [Server.Transport] captured when the
// request was made. When a Transport stands in front of a Server, the
// Transport reports and the Server only records. A check that cannot find
// the test's line (a request to a Server's URL by another client, a
// Handler in a server) names the line that set the entry point up. The
// line is written through testing.TB's Output, so *testing.T, *testing.B
// and *testing.F show it as their own; other test values get Errorf.
//
// The entry points take a small interface rather than *testing.T, so that
// any testing.TB works and so do recording doubles: [TestingT] for the
// wrappers and the server, which report from other goroutines and clean up
// after the test; testify's assert.TestingT and require.TestingT for the
// assertions, which fail through testify's assert.Fail (with its Error
// Trace). A *testing.T is all of these, so a test imports testify only to
// use testify itself; go mod tidy records testify in the test's module as a
// dependency of this package. All of them are safe for concurrent use, mark themselves as
// helpers, and leave no goroutine behind the test: wrappers and servers
// register a Cleanup that waits for exchanges in flight and closes what they
// opened.
//
// [Fake] is the fake endpoint without a testing.T, for a process that serves
// it (a later contractcheck serve); [NewServer] wraps it, and both take the
// same [Option]s.
package contracttest
