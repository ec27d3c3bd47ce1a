// Package browser holds the tests of contractcheck's HTML report in a real
// browser: headless Chromium, driven through the DevTools protocol by
// chromedp. It is a module of its own, like bench/, so that chromedp and its
// protocol bindings never enter the go.sum of the programs that import
// contractcheck; make browser-test (and CI) runs it.
package browser
