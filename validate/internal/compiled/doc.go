// Package compiled holds the compiled contract: each operation of a loaded
// contract document compiled once at Load ([Compile]) into what the checker
// reads as it checks an exchange: its route ([Router]), its parameter,
// header and form-field tables, its request and response bodies with their
// jsonschema/v5 schemas and the same schemas compiled for the gate
// ([Media], [FormGate]), the properties a response lists ([ListedProps]) and
// where each rule's anchor is in the document ([Operation.Anchors]).
//
// Everything here is immutable once compiled, and safe for concurrent use.
// It knows nothing of exchanges, findings built or the rules that check
// them: those live in the checker above it.
package compiled
