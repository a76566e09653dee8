-- Minimal init for the headless Newsmark test (see run.lua):
--   nvim --headless -u editors/neovim/test/minimal_init.lua -l editors/neovim/test/run.lua
-- Puts only this plugin on 'runtimepath' and registers the parser from
-- NEWSMARK_PARSER (a compiled grammar, e.g. target/editors/parser/newsmark.so).
local this = debug.getinfo(1, 'S').source:sub(2)
local plugin = vim.fn.fnamemodify(this, ':p:h:h') -- editors/neovim

vim.opt.runtimepath:remove(vim.fn.stdpath('config'))
vim.opt.runtimepath:remove(vim.fn.stdpath('data') .. '/site')
vim.opt.runtimepath:prepend(plugin)
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'

local parser = os.getenv('NEWSMARK_PARSER')
if parser and parser ~= '' then
  vim.treesitter.language.add('newsmark', { path = parser })
end
