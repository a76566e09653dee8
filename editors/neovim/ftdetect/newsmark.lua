-- Newsmark annotated news articles.
vim.filetype.add({ extension = { nmk = 'newsmark' } })
