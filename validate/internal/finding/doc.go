// Package finding holds the findings model, the stage every check ends in
// and every report starts from: Finding, its Severity, its Location in the
// exchange (a Part, a header name, a JSON pointer), the SpecPos of the
// contract it cites, and the rule catalogue (Rule, each rule's ID,
// severity, help and the Anchor of the contract it comes from). The
// compiled contract reads the anchors; the checker fills findings from the
// catalogue. Package validate re-exports these names for its users.
package finding
