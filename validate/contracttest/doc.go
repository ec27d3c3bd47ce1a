// Package contracttest brings contractcheck's checks into go test: a failing
// test, with a readable message, whenever an exchange of Twilio
// Conversations' "Create a conversation-scoped webhook" operation breaks its
// contract.
//
// Four entry points, for four places a test stands:
//
//   - [AssertExchange] and [RequireExchange] check one request and its
//     response, testify-style.
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
// ([ExpectViolation]); findings below the threshold are logged when the test
// value has a Logf method, as *testing.T has.
//
// The entry points take a small interface rather than *testing.T, so that
// any testing.TB works and so do recording doubles: [TestingT] for the
// wrappers and the server, which report from other goroutines and clean up
// after the test; testify's assert.TestingT and require.TestingT for the
// assertions. All of them are safe for concurrent use, mark themselves as
// helpers, and leave no goroutine behind the test: wrappers and servers
// register a Cleanup that waits for exchanges in flight and closes what they
// opened.
//
// [Fake] is the fake endpoint without a testing.T, for a process that serves
// it (a later contractcheck serve); [NewServer] wraps it, and both take the
// same [Option]s.
package contracttest
