package ordered_test

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/contractcheck/contractcheck/internal/ordered"
)

func ExampleMap() {
	words := slices.Values([]string{"one", "two", "three", "four"})
	for s := range ordered.Map(context.Background(), words, 3, 6, strings.ToUpper) {
		fmt.Println(s)
	}
	// Output:
	// ONE
	// TWO
	// THREE
	// FOUR
}
