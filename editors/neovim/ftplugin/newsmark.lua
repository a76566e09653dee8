-- Newsmark filetype settings. See :help newsmark.
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1

vim.bo.commentstring = '%% %s'
vim.bo.comments = ':%%'

local undo = { 'setlocal commentstring< comments<' }

-- Tree-sitter highlighting and folds, only when the parser is installed
-- (parser/newsmark.so on 'runtimepath', or vim.treesitter.language.add with a path).
local ok, loaded = pcall(vim.treesitter.language.add, 'newsmark')
if ok and loaded then
  vim.treesitter.start()
  vim.wo[0][0].foldmethod = 'expr'
  vim.wo[0][0].foldexpr = 'v:lua.vim.treesitter.foldexpr()'
  -- Folds are there but open; `zi` turns them on.
  vim.wo[0][0].foldenable = false
  table.insert(undo, 'setlocal foldmethod< foldexpr< foldenable<')
  table.insert(undo, 'lua pcall(vim.treesitter.stop)')
end

vim.b.undo_ftplugin = table.concat(undo, ' | ')
