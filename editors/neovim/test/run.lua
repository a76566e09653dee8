-- Headless Neovim test of editors/neovim with a real Neovim 0.11+.
--
--   NEWSMARK_PARSER=target/editors/parser/newsmark.so \
--   NEWSMARK_BIN=target/debug/newsmark \
--   nvim --headless -u editors/neovim/test/minimal_init.lua -l editors/neovim/test/run.lua
--
-- NEWSMARK_NVIM_CHECKS selects the checks: `all` (default: tree-sitter and
-- LSP), `treesitter` (no server needed) or `lsp`. Expectations come from
-- tests/fixtures/workspace/README.md. Exit code 0 when every check passes, 1
-- otherwise; a missing parser or server binary is a failure, not a skip.

local this = debug.getinfo(1, 'S').source:sub(2)
local root = vim.fn.fnamemodify(this, ':p:h:h:h:h') -- the repository
local workspace = root .. '/tests/fixtures/workspace'
-- Newsmark 2 (chains, labels, stances, hedges, several entities in a
-- mention, Unicode ids): a workspace of its own, so the first one's
-- findings and counts stay as they are; its README lists what it holds.
local workspace2 = root .. '/tests/fixtures/newsmark-2'
local selected = os.getenv('NEWSMARK_NVIM_CHECKS') or 'all'
local bin = os.getenv('NEWSMARK_BIN') or (root .. '/target/debug/newsmark')
local timeout = tonumber(os.getenv('NEWSMARK_NVIM_TIMEOUT_MS') or '') or 15000

if not vim.tbl_contains({ 'all', 'treesitter', 'lsp' }, selected) then
  io.stderr:write('NEWSMARK_NVIM_CHECKS must be all, treesitter or lsp, not ' .. selected .. '\n')
  vim.cmd('cquit 2')
end
local want_ts = selected == 'all' or selected == 'treesitter'
local want_lsp = selected == 'all' or selected == 'lsp'

local passed, failed = 0, {}

local function check(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    print('ok - ' .. name)
  else
    table.insert(failed, name)
    print('not ok - ' .. name .. '\n    ' .. tostring(err):gsub('\n', '\n    '))
  end
end

local function eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(('%s: expected %s, got %s'):format(what, vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

local function truthy(value, what)
  if not value then
    error(what, 2)
  end
  return value
end

local function finish()
  print(('%d passed, %d failed'):format(passed, #failed))
  if #failed > 0 then
    print('FAILED: ' .. table.concat(failed, '; '))
    vim.cmd('cquit 1')
  end
  vim.cmd('qall!')
end

local function open(relative, folder)
  vim.cmd('edit ' .. vim.fn.fnameescape((folder or workspace) .. '/' .. relative))
  return vim.api.nvim_get_current_buf()
end

local ARTICLE2 = 'articles/munitions.nmk'
local ARTICLE_RU = 'articles/ryabkov.nmk' -- in workspace2 too: `language: ru`

print(('Neovim %s, checks: %s'):format(tostring(vim.version()), selected))
if vim.fn.has('nvim-0.11') ~= 1 then
  table.insert(failed, 'Neovim 0.11 or newer is required')
  finish()
end

-- The LSP must be configured before the first buffer opens.
if want_lsp then
  check('server binary exists: ' .. bin, function()
    truthy(vim.fn.executable(bin) == 1, 'not found or not executable: ' .. bin .. ' (build it, or set NEWSMARK_BIN)')
  end)
  if #failed > 0 then
    finish()
  end
  check('lsp/newsmark.lua is on the runtimepath and found by vim.lsp.config', function()
    local config = vim.lsp.config.newsmark
    truthy(config, 'vim.lsp.config.newsmark is nil')
    eq(config.filetypes, { 'newsmark' }, 'filetypes')
    eq(config.root_markers, { 'newsmark.toml', '.git' }, 'root_markers')
    eq(config.cmd, { 'newsmark', 'lsp' }, 'default cmd')
  end)
  vim.lsp.config('newsmark', { cmd = { bin, 'lsp' } })
  vim.lsp.enable('newsmark')
end

-- ---- Filetype, ftplugin, tree-sitter --------------------------------------

local article = open('articles/lavrov-visit.nmk')

check('*.nmk is filetype newsmark, with the ftplugin settings', function()
  eq(vim.bo[article].filetype, 'newsmark', 'filetype')
  eq(vim.bo[article].commentstring, '%% %s', 'commentstring')
end)

---Capture names at a 0-based row and byte column.
local function captures(buf, row, col)
  vim.treesitter.get_parser(buf, 'newsmark'):parse(true)
  local names = {}
  for _, c in ipairs(vim.treesitter.get_captures_at_pos(buf, row, col)) do
    table.insert(names, c.capture)
  end
  return names
end

local function has_capture(buf, row, col, name)
  local names = captures(buf, row, col)
  if not vim.tbl_contains(names, name) then
    error(('at %d:%d expected @%s among %s'):format(row, col, name, vim.inspect(names)), 2)
  end
end

if want_ts then
  check('the newsmark parser is available', function()
    local ok, loaded = pcall(vim.treesitter.language.add, 'newsmark')
    truthy(ok and loaded, 'vim.treesitter.language.add("newsmark") failed: set NEWSMARK_PARSER or put parser/newsmark.so on the runtimepath')
  end)

  check('ftplugin started tree-sitter highlighting and folds (disabled until zi)', function()
    truthy(vim.treesitter.highlighter.active[article], 'no tree-sitter highlighter on the buffer')
    local win = vim.api.nvim_get_current_win()
    eq(vim.wo[win].foldmethod, 'expr', 'foldmethod')
    eq(vim.wo[win].foldexpr, 'v:lua.vim.treesitter.foldexpr()', 'foldexpr')
    eq(vim.wo[win].foldenable, false, 'foldenable')
  end)

  check('the parse tree has no errors', function()
    for _, relative in ipairs({
      'articles/lavrov-visit.nmk',
      'articles/choe-hangul.nmk',
      'articles/tass-crlf.nmk',
      'entities/people.nmk',
      'entities/orgs.nmk',
    }) do
      local buf = open(relative)
      local tree = vim.treesitter.get_parser(buf, 'newsmark'):parse(true)[1]
      truthy(not tree:root():has_error(), relative .. ' has a syntax error')
    end
    vim.api.nvim_set_current_buf(article)
  end)

  check('highlight captures in an article', function()
    has_capture(article, 1, 0, 'property') -- title:
    has_capture(article, 7, 0, 'markup.heading.1') -- # Arrival in Pyongyang
    has_capture(article, 7, 0, 'punctuation.special')
    has_capture(article, 9, 0, 'comment') -- %% Line numbers matter
    has_capture(article, 10, 0, 'punctuation.bracket') -- [
    has_capture(article, 10, 1, 'markup.link.label') -- The foreign minister
    has_capture(article, 10, 24, 'markup.link') -- lavrov
    has_capture(article, 11, 0, 'punctuation.bracket') -- {
    has_capture(article, 11, 5, 'markup.quote') -- the talks …
    has_capture(article, 11, 52, 'punctuation.delimiter') -- |
    has_capture(article, 11, 56, 'attribute') -- @tass as a source
    has_capture(article, 15, 18, 'constant') -- @us
    has_capture(article, 17, 3, 'keyword.directive') -- %% ignore: unsourced-claim
  end)

  check('highlight captures in a registry file', function()
    local people = open('entities/people.nmk')
    has_capture(people, 2, 0, 'punctuation.special') -- @
    has_capture(people, 2, 1, 'label') -- lavrov
    has_capture(people, 2, 9, 'markup.strong') -- Sergey Lavrov
    has_capture(people, 3, 2, 'property') -- kind
    has_capture(people, 3, 8, 'constant.builtin') -- person
    has_capture(people, 7, 12, 'string.special') -- Q80447
    vim.api.nvim_set_current_buf(article)
  end)

  check('byte columns after Hangul and emoji', function()
    local buf = open('articles/choe-hangul.nmk')
    -- `🎉 [최선희]@choe …`: 🎉 is 4 bytes, so `[` is at byte 5 and 최 at byte 6.
    has_capture(buf, 7, 5, 'punctuation.bracket')
    has_capture(buf, 7, 6, 'markup.link.label')
    has_capture(buf, 7, 19, 'markup.link') -- choe
    vim.api.nvim_set_current_buf(article)
  end)

  check('a CRLF file is read as fileformat=dos and highlighted', function()
    local buf = open('articles/tass-crlf.nmk')
    eq(vim.bo[buf].fileformat, 'dos', 'fileformat')
    has_capture(buf, 2, 0, 'comment')
    has_capture(buf, 4, 1, 'markup.link.label') -- the minister
    has_capture(buf, 5, 0, 'markup.quote') -- flew home (claim over a CRLF break)
    vim.api.nvim_set_current_buf(article)
  end)

  check('Newsmark 2: captures of a chain, a label and a stance, a hedge cue and +@', function()
    for _, relative in ipairs({ ARTICLE2, ARTICLE_RU, 'entities.nmk' }) do
      local buf = open(relative, workspace2)
      local tree = vim.treesitter.get_parser(buf, 'newsmark'):parse(true)[1]
      truthy(not tree:root():has_error(), relative .. ' has a syntax error')
    end
    local buf = open(ARTICLE2, workspace2)
    -- `{Shipments ~[reportedly] began in August | @us via @kcna}#shipments.`
    has_capture(buf, 8, 11, 'punctuation.special') -- ~[
    has_capture(buf, 8, 13, 'markup.italic') -- reportedly
    has_capture(buf, 8, 44, 'attribute') -- us, the source
    has_capture(buf, 8, 47, 'keyword') -- via
    has_capture(buf, 8, 51, 'punctuation.special') -- @ of the conduit
    has_capture(buf, 8, 52, 'attribute') -- kcna, the conduit
    has_capture(buf, 8, 57, 'label') -- # of the label
    has_capture(buf, 8, 58, 'label') -- shipments
    -- `[The two leaders]@putin+@kim met the next day.`
    has_capture(buf, 9, 18, 'markup.link') -- putin
    has_capture(buf, 9, 23, 'operator') -- +@
    has_capture(buf, 9, 25, 'markup.link') -- kim
    -- `{The report is groundless | @захарова denies #shipments}.`: each
    -- Cyrillic letter of the id is 2 bytes, so `denies` is at byte 46.
    has_capture(buf, 10, 29, 'attribute') -- захарова
    has_capture(buf, 10, 46, 'keyword') -- denies
    has_capture(buf, 10, 54, 'label') -- shipments
    -- `{Nobody said so | @kcna disputes #shipments, denies #nothing}.`
    has_capture(buf, 11, 24, 'keyword') -- disputes
    has_capture(buf, 11, 34, 'label') -- shipments
    has_capture(buf, 11, 45, 'keyword') -- denies
    has_capture(buf, 11, 53, 'label') -- nothing
    vim.api.nvim_set_current_buf(article)
  end)

  check('folds from queries/newsmark/folds.scm', function()
    vim.treesitter.get_parser(article, 'newsmark'):parse(true)
    local level = vim.api.nvim_buf_call(article, function()
      return vim.treesitter.foldexpr(1)
    end)
    eq(level, '>1', 'fold level of the front matter line 1')
  end)
end

-- ---- LSP ------------------------------------------------------------------

local function client_for(buf)
  local clients = vim.lsp.get_clients({ bufnr = buf, name = 'newsmark' })
  return clients[1]
end

local function request(buf, method, params)
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, timeout)
  truthy(responses, ('%s: %s'):format(method, tostring(err)))
  for _, response in pairs(responses) do
    if response.error then
      error(('%s failed: %s'):format(method, vim.inspect(response.error)), 2)
    end
    return response.result
  end
  error(method .. ': no response', 2)
end

local function at(buf, line, character)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = character } }
end

-- The uri and range of a definition answer that must hold one location
-- (a Location, or a list of Locations or LocationLinks).
local function only_location(result)
  truthy(result, 'no definition')
  if result.uri or result.targetUri then
    result = { result }
  end
  eq(#result, 1, 'number of definitions')
  return result[1].uri or result[1].targetUri, result[1].range or result[1].targetSelectionRange
end

local function diagnostics_with(buf, code)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then
      table.insert(found, d)
    end
  end
  return found
end

local function wait_for_code(buf, code)
  local ok = vim.wait(timeout, function()
    return #diagnostics_with(buf, code) > 0
  end, 50)
  truthy(ok, ('no %s diagnostic within %d ms; got %s'):format(code, timeout, vim.inspect(vim.diagnostic.get(buf))))
  return diagnostics_with(buf, code)
end

if want_lsp then
  vim.api.nvim_set_current_buf(article)

  local attached = false
  check('the client attaches, rooted at the fixture workspace', function()
    attached = vim.wait(timeout, function()
      return client_for(article) ~= nil and client_for(article).initialized
    end, 50)
    truthy(attached, 'no newsmark client attached within ' .. timeout .. ' ms; see :LspLog ' .. vim.lsp.log.get_filename())
    eq(client_for(article).root_dir, workspace, 'root_dir')
  end)

  if attached then
    check('diagnostics: unsourced-claim (warning) on line 14, undefined-entity (error) on line 16', function()
      local unsourced = wait_for_code(article, 'unsourced-claim')
      eq(#unsourced, 1, 'unsourced-claim count (line 19 is silenced by %% ignore)')
      local d = unsourced[1]
      eq({ d.lnum, d.col, d.end_lnum, d.end_col }, { 13, 20, 13, 59 }, 'unsourced-claim range')
      eq(d.severity, vim.diagnostic.severity.WARN, 'unsourced-claim severity')
      local undefined = wait_for_code(article, 'undefined-entity')
      eq(#undefined, 1, 'undefined-entity count')
      eq(undefined[1].lnum, 15, 'undefined-entity line')
      eq(undefined[1].severity, vim.diagnostic.severity.ERROR, 'undefined-entity severity')
    end)

    check(':NewsmarkOpenReport writes the report and opens the article page with vim.ui.open', function()
      local opened
      local real_open = vim.ui.open
      vim.ui.open = function(uri)
        opened = uri
        -- What the showDocument handler waits on: a command that succeeded.
        return { wait = function() return { code = 0 } end }
      end
      vim.api.nvim_set_current_buf(article)
      vim.cmd('NewsmarkOpenReport')
      local done = vim.wait(timeout, function()
        return opened ~= nil
      end, 50)
      vim.ui.open = real_open
      truthy(done, 'vim.ui.open was not called within ' .. timeout .. ' ms')
      local path = vim.uri_to_fname(opened)
      truthy(path:find(workspace .. '/.newsmark_cache/report/articles/', 1, true), 'not an article page: ' .. opened)
      local page = table.concat(vim.fn.readfile(path), '\n')
      truthy(page:find('articles/lavrov-visit.nmk', 1, true), 'the page is not the article\'s: ' .. path)
    end)

    check('diagnostic columns after Hangul and emoji are converted to bytes', function()
      local buf = open('articles/choe-hangul.nmk')
      local d = wait_for_code(buf, 'unsourced-claim')
      eq(#d, 1, 'unsourced-claim count')
      -- `😀 {두 …}`: `{` is UTF-16 character 3, byte 5.
      eq({ d[1].lnum, d[1].col }, { 9, 5 }, 'unsourced-claim start (row, byte)')
      vim.api.nvim_set_current_buf(article)
    end)

    check('hover on a mention shows the display name', function()
      local result = request(article, 'textDocument/hover', at(article, 10, 24))
      truthy(result and result.contents, 'empty hover')
      local text = result.contents.value or vim.inspect(result.contents)
      truthy(text:find('Sergey Lavrov', 1, true), 'hover lacks "Sergey Lavrov": ' .. text)
    end)

    check('definition of a mention is in the registry file, on the definition line', function()
      local uri, range = only_location(request(article, 'textDocument/definition', at(article, 10, 24)))
      eq(vim.uri_to_fname(uri), workspace .. '/entities/people.nmk', 'definition file')
      eq(range.start.line, 2, 'definition line (0-based)')
    end)

    check('references of an entity span at least two files', function()
      local params = at(article, 15, 46) -- @lavrov on line 16
      params.context = { includeDeclaration = true }
      local result = request(article, 'textDocument/references', params)
      truthy(result and #result > 0, 'no references')
      local files = {}
      for _, location in ipairs(result) do
        files[vim.uri_to_fname(location.uri)] = true
      end
      local names = vim.tbl_keys(files)
      truthy(#names >= 2, 'references in fewer than two files: ' .. vim.inspect(names))
      truthy(files[workspace .. '/articles/lavrov-visit.nmk'], 'the article itself is missing: ' .. vim.inspect(names))
    end)

    check('"Add a source…" carries editor.action.triggerSuggest, which the plugin runs', function()
      local params = {
        textDocument = { uri = vim.uri_from_bufnr(article) },
        range = { start = { line = 13, character = 22 }, ['end'] = { line = 13, character = 22 } },
        context = { diagnostics = {} },
      }
      local actions = request(article, 'textDocument/codeAction', params)
      local add
      for _, action in ipairs(actions or {}) do
        if action.title == 'Add a source…' then
          add = action
        end
      end
      truthy(add, 'no "Add a source…" action: ' .. vim.inspect(actions))
      -- The server sends the command only because lsp/newsmark.lua lists it
      -- in capabilities.experimental.commands.
      eq(add.command and add.command.command, 'editor.action.triggerSuggest', 'command of "Add a source…"')
      truthy(client_for(article).commands['editor.action.triggerSuggest'], 'the plugin does not define the command')
    end)

    check('completion after typing @ offers the defined ids', function()
      local last = vim.api.nvim_buf_line_count(article)
      vim.api.nvim_buf_set_lines(article, last, last, false, { '', 'See @' })
      local params = at(article, last + 1, 5)
      params.context = { triggerKind = 2, triggerCharacter = '@' }
      local result = request(article, 'textDocument/completion', params)
      truthy(result, 'no completion result')
      local items = result.items or result
      local labels = {}
      local found = false
      for _, item in ipairs(items) do
        table.insert(labels, item.label)
        local edit = item.textEdit and item.textEdit.newText or ''
        for _, text in ipairs({ item.label, item.insertText or '', edit, item.filterText or '' }) do
          if text:find('lavrov', 1, true) then
            found = true
          end
        end
      end
      truthy(found, 'lavrov is not offered; got ' .. vim.inspect(labels))
      vim.api.nvim_buf_set_lines(article, last, -1, false, {})
    end)
  end

  -- A file under another newsmark.toml: a second client, rooted there.
  local article2 = open(ARTICLE2, workspace2)
  local attached2 = false
  check('Newsmark 2: a second client attaches, rooted at tests/fixtures/newsmark-2', function()
    attached2 = vim.wait(timeout, function()
      return client_for(article2) ~= nil and client_for(article2).initialized
    end, 50)
    truthy(attached2, 'no newsmark client attached within ' .. timeout .. ' ms; see :LspLog ' .. vim.lsp.log.get_filename())
    eq(client_for(article2).root_dir, workspace2, 'root_dir')
  end)

  if attached2 then
    ---Whether some completion item offers `wanted` (in its label, insert text or edit).
    local function offers(result, wanted)
      local items = (result and (result.items or result)) or {}
      local labels = {}
      for _, item in ipairs(items) do
        table.insert(labels, item.label)
        local edit = item.textEdit and item.textEdit.newText or ''
        for _, text in ipairs({ item.label, item.insertText or '', edit, item.filterText or '' }) do
          if text:find(wanted, 1, true) then
            return true, labels
          end
        end
      end
      return false, labels
    end

    ---A 0-based byte column as a position in the encoding the client
    ---negotiated (Neovim offers UTF-8 first).
    local function at_byte(buf, row, byte)
      local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, true)[1]
      return at(buf, row, vim.str_utfindex(line, client_for(buf).offset_encoding, byte))
    end

    ---Completion at the end of `line` (or before its last `trim` characters),
    ---typed as a new paragraph at the end of the article, then removed.
    local function complete_after(line, trim, context)
      local last = vim.api.nvim_buf_line_count(article2)
      vim.api.nvim_buf_set_lines(article2, last, last, false, { '', line })
      local params = at(article2, last + 1, #line - trim)
      params.context = context
      local ok, result = pcall(request, article2, 'textDocument/completion', params)
      vim.api.nvim_buf_set_lines(article2, last, -1, false, {})
      if not ok then
        error(result, 2)
      end
      truthy(result, 'no completion result after ' .. line)
      return result
    end

    check('Newsmark 2: unknown-label (error) on `denies #nothing`, and nothing else', function()
      local d = wait_for_code(article2, 'unknown-label')
      eq(#d, 1, 'unknown-label count')
      eq({ d[1].lnum, d[1].col, d[1].end_lnum, d[1].end_col }, { 11, 52, 11, 60 }, 'unknown-label range (#nothing)')
      eq(d[1].severity, vim.diagnostic.severity.ERROR, 'unknown-label severity')
      truthy(d[1].message:find('nothing', 1, true), 'the message names the label: ' .. d[1].message)
      local others = {}
      for _, found in ipairs(vim.diagnostic.get(article2)) do
        if found.code ~= 'unknown-label' then
          table.insert(others, found)
        end
      end
      eq(others, {}, 'other diagnostics in the article')
    end)

    check("Newsmark 2: definition from a stance's #label is the labelled claim's label", function()
      -- `shipments` of `denies #shipments`, after the Cyrillic id: byte 54,
      -- UTF-16 character 46.
      local uri, range = only_location(request(article2, 'textDocument/definition', at_byte(article2, 10, 54)))
      eq(vim.uri_to_fname(uri), workspace2 .. '/' .. ARTICLE2, 'definition file')
      eq({ range.start.line, range.start.character, range['end'].line, range['end'].character }, { 8, 57, 8, 67 }, 'the #shipments after the claim')
    end)

    check('Newsmark 2: hover on a label shows the labelled claim with its chain and the stance on it', function()
      local result = request(article2, 'textDocument/hover', at_byte(article2, 10, 56))
      truthy(result and result.contents, 'empty hover')
      local text = result.contents.value or vim.inspect(result.contents)
      for _, wanted in ipairs({ 'United States', 'via', 'kcna', '#shipments', 'Denied by', 'Disputed by' }) do
        truthy(text:find(wanted, 1, true), ('hover lacks %q: %s'):format(wanted, text))
      end
    end)

    check('Newsmark 2: completion after `via ` offers the entity ids', function()
      local result = complete_after('{Said | @putin via }', 1, { triggerKind = 1 })
      local found, labels = offers(result, 'kcna')
      truthy(found, 'kcna is not offered after via; got ' .. vim.inspect(labels))
    end)

    check('Newsmark 2: completion after `+@` offers the entity ids', function()
      local result = complete_after('[Both]@putin+@', 0, { triggerKind = 2, triggerCharacter = '@' })
      local found, labels = offers(result, 'kim')
      truthy(found, 'kim is not offered after +@; got ' .. vim.inspect(labels))
    end)

    check('Newsmark 2: completion after a stance word offers the labels of the file', function()
      local result = complete_after('{No | @kim denies }', 1, { triggerKind = 1 })
      local found, labels = offers(result, '#shipments')
      truthy(found, '#shipments is not offered after denies; got ' .. vim.inspect(labels))
    end)

    -- The Russian article: attribution cues of its language, and a stem
    -- alias (`aliases: Рябков*`) that finds inflected names in prose only.
    local ru = open(ARTICLE_RU, workspace2)

    ---The code actions at `подготовки` in the claim on `row`, asked with its
    ---unsourced-claim diagnostic as Neovim holds it; the first, preferred one
    ---must attribute the claim to @рябков.
    local function attribute_first(row)
      local d = vim.tbl_filter(function(found)
        return found.lnum == row
      end, wait_for_code(ru, 'unsourced-claim'))
      eq(#d, 1, 'unsourced-claim count on line ' .. (row + 1))
      local line = vim.api.nvim_buf_get_lines(ru, row, row + 1, true)[1]
      local cursor = at_byte(ru, row, line:find('подготовки', 1, true) - 1).position
      local actions = request(ru, 'textDocument/codeAction', {
        textDocument = { uri = vim.uri_from_bufnr(ru) },
        range = { start = cursor, ['end'] = cursor },
        context = { diagnostics = { d[1].user_data.lsp } },
      })
      local first = truthy(actions and actions[1], 'no code action')
      eq({ first.title, first.isPreferred }, { 'Attribute to `@рябков` (Сергей Рябков)', true }, 'first action, preferred')
      return first
    end

    check('Russian: `[Рябков]@рябков заявил, что {…}`: the first fix attributes the claim to @рябков', function()
      local action = attribute_first(6)
      local before = vim.api.nvim_buf_get_lines(ru, 6, 7, true)
      vim.lsp.util.apply_workspace_edit(action.edit, client_for(ru).offset_encoding)
      local after = vim.api.nvim_buf_get_lines(ru, 6, 7, true)[1]
      vim.api.nvim_buf_set_lines(ru, 6, 7, true, before)
      eq(after, '[Рябков]@рябков заявил, что {встреча требует подготовки | @рябков}.', 'line 7 after the fix')
    end)

    check('Russian: `По словам [Рябкова]@рябков, {…}`: the first fix attributes the claim to @рябков', function()
      attribute_first(8)
    end)

    check('Russian: the stem alias reports exactly `Рябкову` in prose, nothing in the title', function()
      local d = wait_for_code(ru, 'untagged-mention')
      eq(#d, 1, 'untagged-mention count (none for `title: Рябкову позвонили`)')
      local line = vim.api.nvim_buf_get_lines(ru, 10, 11, true)[1]
      local from = line:find('Рябкову', 1, true) - 1 -- byte 11, UTF-16 character 6
      local to = from + #'Рябкову' -- byte 25, UTF-16 character 13
      eq({ d[1].lnum, d[1].col, d[1].end_lnum, d[1].end_col }, { 10, from, 10, to }, 'range (row, byte)')
      local sent = d[1].user_data.lsp.range -- in the encoding the client negotiated
      eq({ sent.start, sent['end'] }, { at_byte(ru, 10, from).position, at_byte(ru, 10, to).position }, 'range as sent')
      eq(d[1].severity, vim.diagnostic.severity.HINT, 'untagged-mention severity')
    end)
  end
  if attached then
    -- A git conflict in a buffer never written to disk: its finding, the
    -- "Accept bob" code action applied, and the finding gone.
    check('conflict: unresolved-conflict, then "Accept bob" resolves it', function()
      local buf = open('articles/conflict-unsaved.nmk', workspace2)
      vim.api.nvim_buf_set_lines(buf, 0, -1, true, {
        'Before.',
        '',
        '<<<<<<< 김민지',
        '{North Korea supplied munitions | @us}',
        '=======',
        '{North Korea supplied munitions 😀 | @us}',
        '>>>>>>> bob',
        '',
        'After.',
      })
      local d = wait_for_code(buf, 'unresolved-conflict')
      eq({ #d, d[1].lnum, d[1].severity }, { 1, 2, vim.diagnostic.severity.ERROR }, 'finding, line, severity')
      eq(d[1].message, 'unresolved conflict between 김민지 and bob', 'message')
      local cursor = { line = 5, character = 3 }
      local actions = request(buf, 'textDocument/codeAction', {
        textDocument = { uri = vim.uri_from_bufnr(buf) },
        range = { start = cursor, ['end'] = cursor },
        context = { diagnostics = { d[1].user_data.lsp } },
      })
      local accept
      for _, action in ipairs(actions or {}) do
        if action.title == 'Accept bob' then
          accept = action
        end
      end
      truthy(accept, 'no "Accept bob" in ' .. vim.inspect(actions))
      vim.lsp.util.apply_workspace_edit(accept.edit, client_for(buf).offset_encoding)
      eq(vim.api.nvim_buf_get_lines(buf, 0, -1, true), {
        'Before.',
        '',
        '{North Korea supplied munitions 😀 | @us}',
        '',
        'After.',
      }, 'the buffer after Accept bob')
      local cleared = vim.wait(timeout, function()
        return #diagnostics_with(buf, 'unresolved-conflict') == 0
      end, 50)
      truthy(cleared, 'unresolved-conflict still there: ' .. vim.inspect(vim.diagnostic.get(buf)))
      vim.cmd('bwipeout! ' .. buf)
    end)
  end

  vim.api.nvim_set_current_buf(article)

  for _, client in ipairs(vim.lsp.get_clients({ name = 'newsmark' })) do
    client:stop()
  end
  vim.wait(2000, function()
    return #vim.lsp.get_clients({ name = 'newsmark' }) == 0
  end, 50)
end

finish()
