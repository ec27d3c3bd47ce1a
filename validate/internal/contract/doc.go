// Package contract holds the compiled contract's document: a loaded
// OpenAPI document as JSON values, with the YAML node tree that gives each
// JSON pointer its line (Document.Pos, cached per pointer so findings cite
// positions without walking the document again), local $ref resolution,
// and the JSON pointer helpers that loading, compiling and the checker
// share. Package validate compiles operations, routes and schemas from it.
package contract
