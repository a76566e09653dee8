---@brief
---
--- https://github.com/newsmark/newsmark
---
--- The Newsmark language server, for annotated news articles (`.nmk`):
--- diagnostics (`unsourced-claim`, `undefined-entity`, …), hover, go to
--- definition, references, completion of entity ids after `@`, semantic tokens.
---
--- Install the server from a Newsmark checkout:
--- ```sh
--- cargo install --path server
--- ```
---
--- Then enable it:
--- ```lua
--- vim.lsp.enable('newsmark')
--- ```
---
--- Use another binary with:
--- ```lua
--- vim.lsp.config('newsmark', { cmd = { '/path/to/newsmark', 'lsp' } })
--- ```
---
--- The workspace root is the nearest directory with `newsmark.toml` (else the
--- Git root): every `.nmk` file below it shares one set of entities.

---@type vim.lsp.Config
return {
  cmd = { 'newsmark', 'lsp' },
  filetypes = { 'newsmark' },
  root_markers = { 'newsmark.toml', '.git' },
  settings = {},
}
