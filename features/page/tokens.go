package page

import "github.com/repack/repack/features/lexis"

type (
	textTokensKey   struct{}
	hiddenTokensKey struct{}
)

// TextTokens returns the tokens of the visible text, block by block, with
// its lower-case copy: the page's one tokenisation (lexis.Tokenize),
// computed once on first use.
func (p *Page) TextTokens() *lexis.Tokenized {
	return p.Memo(textTokensKey{}, func(p *Page) any { return tokenizeBlocks(p.Text, p.Blocks) }).(*lexis.Tokenized)
}

// HiddenTokens is TextTokens for the hidden text.
func (p *Page) HiddenTokens() *lexis.Tokenized {
	return p.Memo(hiddenTokensKey{}, func(p *Page) any { return tokenizeBlocks(p.HiddenText, p.Hidden) }).(*lexis.Tokenized)
}

func tokenizeBlocks(text string, blocks []Block) *lexis.Tokenized {
	starts := make([]int, len(blocks))
	ends := make([]int, len(blocks))
	for i, b := range blocks {
		starts[i], ends[i] = b.Start, b.End
	}
	return lexis.TokenizeBlocks(text, starts, ends)
}
