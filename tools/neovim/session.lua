-- Drives `lavisc lsp --stdio` from Neovim's built-in LSP client (Neovim 0.7+, headless): opens a file, waits for the
-- diagnostics, asks for a hover and a completion, and writes what Neovim received as JSON. Run by
-- tools/neovimSession.ts (the Neovim test and `npm run capture:neovim` use it); settings come from the environment.
local file = os.getenv("LAVISC_FILE")
local out = os.getenv("LAVISC_OUT")
local hover_line = tonumber(os.getenv("LAVISC_HOVER_LINE"))
local hover_col = tonumber(os.getenv("LAVISC_HOVER_COL"))
local complete_line = tonumber(os.getenv("LAVISC_COMPLETE_LINE"))
local complete_col = tonumber(os.getenv("LAVISC_COMPLETE_COL"))

local result = { diagnostics = {}, hover = {}, completion = {}, errors = {} }
local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd("qa!")
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local client_id = vim.lsp.start_client({
  name = "lavisc",
  cmd = { os.getenv("LAVISC_NODE"), os.getenv("LAVISC_BIN"), "lsp", "--stdio" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
  on_error = function(code) table.insert(result.errors, "client error " .. tostring(code)) end,
})
if not client_id then
  table.insert(result.errors, "the client did not start")
  finish()
end
vim.lsp.buf_attach_client(0, client_id)

if not vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50) then
  table.insert(result.errors, "no diagnostics within 30 s")
end
local severities = { "ERROR", "WARN", "INFO", "HINT" }
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(result.diagnostics, {
    line = d.lnum + 1, col = d.col + 1, severity = severities[d.severity], code = lsp.code or d.code, message = d.message,
  })
end

local doc = vim.lsp.util.make_text_document_params()
local hover = vim.lsp.buf_request_sync(0, "textDocument/hover", { textDocument = doc, position = { line = hover_line, character = hover_col } }, 15000)
for _, r in pairs(hover or {}) do
  if r.result and r.result.contents then
    result.hover = vim.lsp.util.convert_input_to_markdown_lines(r.result.contents)
  end
end

local completion = vim.lsp.buf_request_sync(0, "textDocument/completion", { textDocument = doc, position = { line = complete_line, character = complete_col } }, 15000)
for _, r in pairs(completion or {}) do
  local items = r.result and (r.result.items or r.result) or {}
  for _, item in ipairs(items) do table.insert(result.completion, item.label) end
end

vim.lsp.stop_client(client_id)
finish()
