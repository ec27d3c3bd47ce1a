// Package gate holds the gate in front of the checker's full path: JSON
// Schemas compiled for it (Schema, built by Compiler from the contract's
// document) and the JSON scanner that reads a body in place, checks that
// it is well-formed and judges it against a Schema without building Go
// values (Scanner). A Verdict is Valid only where jsonschema/v5 would find
// nothing; Unsure and Invalid send the pair to the full path, where
// jsonschema/v5 is the authority on every schema finding. The scanner also
// records the spans of a response's top-level properties for the rules
// that compare the response with the request. It knows nothing of
// findings: the checker in package validate drives it.
package gate
