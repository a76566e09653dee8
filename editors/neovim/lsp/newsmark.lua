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

---
--- Code lenses ("3 mentions · 2 claims sourced") list their references in
--- the quickfix window; after "Add a source…" completion opens on the `@`.
---
--- `:NewsmarkOpenReport` ("Newsmark: open report for this article") writes
--- the workspace's report (`newsmark report`) into `.newsmark_cache/report/`
--- and opens the article's page in the browser (`vim.ui.open`).

---@type vim.lsp.Config
return {
  cmd = { 'newsmark', 'lsp' },
  on_attach = function(client, bufnr)
    vim.api.nvim_buf_create_user_command(bufnr, 'NewsmarkOpenReport', function()
      -- The server writes the report, then asks to show the page with
      -- `external`, which Neovim's handler passes to vim.ui.open.
      client:exec_cmd({
        title = 'Newsmark: open report for this article',
        command = 'newsmark.openReport',
        arguments = { vim.uri_from_bufnr(bufnr) },
      }, { bufnr = bufnr })
    end, { desc = 'Newsmark: open report for this article' })
  end,
  filetypes = { 'newsmark' },
  root_markers = { 'newsmark.toml', '.git' },
  settings = {},
  -- Tells the server which client-side commands `commands` below runs, so
  -- that it attaches them to code actions.
  capabilities = {
    experimental = { commands = { commands = { 'editor.action.triggerSuggest' } } },
  },
  commands = {
    -- Arguments: the document, the position of the `@id`, and Location[].
    ['newsmark.showReferences'] = function(command, ctx)
      local client = assert(vim.lsp.get_client_by_id(ctx.client_id))
      local items = vim.lsp.util.locations_to_items(command.arguments[3] or {}, client.offset_encoding)
      vim.fn.setqflist({}, ' ', { title = 'References', items = items })
      if #items > 0 then
        vim.cmd.copen()
      end
    end,
    -- VS Code's name for "open completion", sent after "Add a source…".
    ['editor.action.triggerSuggest'] = function()
      if vim.lsp.completion and vim.lsp.completion.get then
        vim.lsp.completion.get()
      else
        vim.api.nvim_feedkeys(vim.keycode('<C-x><C-o>'), 'n', false)
      end
    end,
  },
}
