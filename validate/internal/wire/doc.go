// Package wire holds the wire decoders of the checker's first stage: it
// reads the bytes of an exchange as they were sent, and knows nothing of
// contracts or findings. DecodeForm splits an
// application/x-www-form-urlencoded body into its pairs as the URL
// Standard does, reporting bad escapes instead of hiding them;
// UnescapeForm decodes one key or value in place for the checker's scan of
// a form's documented pairs.
package wire
