--[[
Citations of a batch of documents, each processed by citeproc on its own.

Run as `pandoc lua citeproc.lua serve` (pandoc_server.py): each line of
stdin is the path of a JSON job file; the result is written to the same path
with ".out" added, and a line answers "done" (or "failed" and why). One
process serves many jobs: a record is read once and kept while its text stays
the same (reading BibTeX was a fifth of pandoc's work when every job read its
records anew). Every document of a job (one page's citations, or one
bibliography listing) is a separate Pandoc document handed to
pandoc.utils.citeproc, so its numbering, disambiguation, ibid. and
first/subsequent forms are exactly those pandoc gives for that page alone.

Job:    { records = [[key, bibtex], ...], csl = path, lang = string|null,
          abbreviations = [string], marker = string, names = bool,
          anchors = {key: id}, html_titles = bool, documents = [ {
          markdown = string, parts = [0 | n, ...], nocite = [key, ...] }, ... ] }
        parts: one entry per top-level paragraph of `markdown`; 0 = a
        paragraph that must be exactly one citation, n >= 1 = a paragraph that
        is one footnote reference whose note holds n citations (-1: none).
Result: { unreadable = {key: reason}, read = records read (not known before),
          documents = [ { clusters = [ {
          html, note, keys } ], references = [ { key, label, html } ],
          unknown = [key], problems = [string],
          names = { key: { first = [family], all = [family] } } (with `names`) } ] }
HTML is written by pandoc's own HTML writer, one call for every few documents:
fragments are separated by comments carrying a random marker (text from
content is escaped by the writer, so it cannot forge one).
]]

local List = pandoc.List
-- The job being run, and what it sets (see `run`).
local job, marker, anchors, reader_options, dois
local written, pending     -- the HTML of each fragment, by its number; blocks not written yet

-- References -------------------------------------------------------------

local function read_references(text)
  local ok, doc = pcall(pandoc.read, text, "biblatex")
  if not ok then return nil, tostring(doc) end
  return doc.meta.references or List{}
end

-- Every record this process has read: key -> {text, ref (or error), as_read}.
-- A record is standalone (its crossref parent merged in, no macros), so it
-- reads the same alone or beside others.
local known = {}

-- Read the records not known with the same text: all at once, then one by one
-- those the reader did not give us (one bad record fails the whole text, so
-- only the bad ones are lost).
local function read_new(records)
  local fresh = List{}
  for _, pair in ipairs(records) do
    local seen = known[pair[1]]
    if not (seen and seen.text == pair[2]) then fresh:insert(pair) end
  end
  if #fresh == 0 then return 0 end
  local together = {}
  local refs = read_references(table.concat(fresh:map(function(pair) return pair[2] end), "\n"))
  for _, ref in ipairs(refs or {}) do together[pandoc.utils.stringify(ref.id)] = ref end
  for _, pair in ipairs(fresh) do
    local key, record = pair[1], pair[2]
    local entry = {text = record, ref = together[key]}
    if not entry.ref then
      local alone, err = read_references(record)
      if not alone then
        entry.error = err
      else
        for _, ref in ipairs(alone) do
          if pandoc.utils.stringify(ref.id) == key then entry.ref = ref end
        end
        if not entry.ref then
          entry.error = #alone == 0 and "pandoc read no entry from the record"
            or "the record defines '" .. pandoc.utils.stringify(alone[1].id) .. "', not '" .. key .. "'"
        end
      end
    end
    known[key] = entry
  end
  return #fresh
end

-- The job's records as {refs = key -> reference, order = key -> position,
-- entries = key -> what `known` holds}, key -> why a record could not be used,
-- and how many records were read (not known before).
local function parse_records(records)
  local read = read_new(records)
  local by_key, order, entries, unreadable = {}, {}, {}, {}
  for index, pair in ipairs(records) do
    local key = pair[1]
    local entry = known[key]
    order[key] = index
    if entry.ref then
      by_key[key], entries[key] = entry.ref, entry
    else
      unreadable[key] = entry.error
    end
  end
  return {refs = by_key, order = order, entries = entries}, unreadable, read
end

-- Documents ----------------------------------------------------------------

local function only_inline(para)
  -- The single non-space inline of a paragraph, or nil.
  local found
  for _, inline in ipairs(para.content) do
    if inline.t ~= "Space" and inline.t ~= "SoftBreak" then
      if found then return nil end
      found = inline
    end
  end
  return found
end

local function cites_in(blocks)
  local cites = List{}
  pandoc.Blocks(blocks):walk{Cite = function(cite) cites:insert(cite) end}
  return cites
end

local function citation_keys(cite)
  return cite.citations:map(function(citation) return citation.id end)
end

-- A citation's paragraph, if pandoc reads `text` as one citation.
local function escaped_part(text)
  if type(text) ~= "string" then return nil end
  local ok, doc = pcall(pandoc.read, text, "markdown", reader_options)
  if not ok or #doc.blocks ~= 1 or doc.blocks[1].t ~= "Para" then return nil end
  local inline = only_inline(doc.blocks[1])
  return inline and inline.t == "Cite" and doc.blocks[1] or nil
end

-- An author's note whose citations pandoc does not read as written (a bracket it
-- stops at leaves an author-in-text citation, or none): its text again, with each
-- citation pandoc does not read as one alone in its escaped reading (`spec`: the
-- note's text, clusters and their escaped readings). The note's new blocks and the
-- set of its citations read escaped, or nil.
local function escaped_note(spec)
  if type(spec) ~= "table" or type(spec.text) ~= "string" then return nil end
  local text, from, flags = spec.text, 1, {}
  for j, raw in ipairs(spec.clusters) do
    local at = text:find(raw, from, true)
    if at then
      local escaped = spec.escaped[j]
      if not escaped_part(raw) and escaped_part(escaped) then
        text = text:sub(1, at - 1) .. escaped .. text:sub(at + #raw)
        flags[j] = true
        from = at + #escaped
      else
        from = at + #raw
      end
    end
  end
  if not next(flags) then return nil end
  local ok, doc = pcall(pandoc.read, text, "markdown", reader_options)
  return ok and doc.blocks or nil, flags
end

local function misread(cites, wanted)
  if #cites ~= wanted then return true end
  for _, cite in ipairs(cites) do
    if cite.citations[1].mode == "AuthorInText" then return true end   -- the notes' words are escaped
  end
  return false
end

-- What in the document pandoc did not read as the parts it was written as. A
-- citation pandoc stops at as written (`[@key, p. 5 *]`) is read escaped
-- instead: its index is in the set returned second.
local function check_parts(doc, expected, escaped)
  local blocks = doc.blocks
  if #blocks ~= #expected then
    return List{"pandoc read " .. #blocks .. " paragraphs where " .. #expected .. " were written"}, {}
  end
  local problems, replaced = List{}, {}
  for i, want in ipairs(expected) do
    local block = blocks[i]
    local inline = block.t == "Para" and only_inline(block) or nil
    if want == 0 then
      if not (inline and inline.t == "Cite") then
        local read = escaped_part(escaped and escaped[i])
        if read then
          blocks[i] = read
          replaced[i] = true
        else
          problems:insert("part " .. i .. " is not read as one citation")
        end
      end
    elseif not (inline and inline.t == "Note") then
      problems:insert("part " .. i .. " is not read as a footnote")
    else
      local wanted = want < 0 and 0 or want
      if misread(cites_in(inline.content), wanted) then
        local content, flags = escaped_note(escaped and escaped[i])
        if content then
          inline.content = content
          blocks[i] = pandoc.Para{inline}
          replaced[i] = flags
        end
      end
      local found = #cites_in(inline.content)
      if found ~= wanted then
        problems:insert("part " .. i .. ": pandoc reads " .. found .. " citations in the note, not " .. wanted)
      end
    end
  end
  if next(replaced) then doc.blocks = blocks end
  return problems, replaced
end

local function cited_keys(doc, nocite)
  local seen, keys = {}, List{}
  local function add(key)
    if not seen[key] then seen[key] = true; keys:insert(key) end
  end
  doc:walk{Cite = function(cite) citation_keys(cite):map(add) end}
  for _, key in ipairs(nocite) do add(key) end
  return keys
end

local function nocite_meta(keys)
  local citations = List{}
  for _, key in ipairs(keys) do citations:insert(pandoc.Citation(key, "NormalCitation")) end
  return pandoc.Inlines{pandoc.Cite({}, citations)}
end

-- Fragments: everything to write as HTML -------------------------------------
-- Written with one writer call for a group of documents (a call per fragment
-- costs far more), then dropped: the ASTs of a whole batch would hold
-- hundreds of megabytes.

-- Links: a citation's to the id the site gives its reference (`anchors`: the batch's
-- records only), any other only to an http(s) address; anything else keeps just its text.
-- `html_titles`: the page shows a link's title as HTML (Material's tooltips), so it is
-- escaped once more. The HTML is sanitised again in Python (nh3).
local function escaped(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

-- citeproc links a DOI as https://doi.org/ and the DOI as it is: a `#` in it (the check
-- character of many SICI DOIs, `…3.0.CO;2-#`) began the address's fragment and a `?` its
-- query, and a `%` is no escape of its own, so the link led to another DOI. In a link to a
-- record's DOI these three are percent-encoded (the rest as pandoc writes it, which a browser
-- encodes itself; model/urls.py encodes them all).
local DOI_RESOLVER = "https://doi.org/"

local function doi_address(doi)
  return DOI_RESOLVER .. doi:gsub("[#?%%]", function(c) return string.format("%%%02X", c:byte()) end)
end

local function vetted_links(blocks)
  return blocks:walk{Link = function(link)
    local target = link.target
    if target:sub(1, 5) == "#ref-" then
      local anchor = anchors[target:sub(6)]
      if not anchor then return link.content end
      link.target = "#" .. anchor
    elseif target:sub(1, #DOI_RESOLVER) == DOI_RESOLVER and dois[target:sub(#DOI_RESOLVER + 1)] then
      link.target = doi_address(target:sub(#DOI_RESOLVER + 1))
    elseif not target:lower():match("^https?://") then
      return link.content
    end
    if job.html_titles then link.title = escaped(link.title) end
    return link
  end}
end

local function fragment(blocks)
  pending:insert(vetted_links(blocks))
  return #written + #pending     -- its number: replaced by its HTML at the end
end

local function write_pending()
  if #pending == 0 then return end
  local blocks = pandoc.Blocks{}
  for _, fragment_blocks in ipairs(pending) do
    blocks:insert(pandoc.RawBlock("html", marker))
    blocks:extend(fragment_blocks)
  end
  local html = pandoc.write(pandoc.Pandoc(blocks), "html", {wrap_text = "none"})
  local pieces, position = List{}, 1
  while true do
    local start, stop = html:find(marker, position, true)
    if not start then break end
    pieces:insert(html:sub(position, start - 1))
    position = stop + 1
  end
  pieces:insert(html:sub(position))
  pieces:remove(1)   -- what comes before the first marker: nothing
  if #pieces ~= #pending then
    error("citeproc.lua: " .. #pieces .. " HTML fragments written for " .. #pending)
  end
  written:extend(pieces)
  pending = List{}
  collectgarbage()   -- Lua does not see the Haskell memory behind its userdata
end

local function as_plain(blocks)
  -- A single paragraph is written as bare inline HTML.
  if #blocks == 1 and (blocks[1].t == "Para" or blocks[1].t == "Plain") then
    return pandoc.Blocks{pandoc.Plain(blocks[1].content)}
  end
  return pandoc.Blocks(blocks)
end

-- Outside its Cite, pandoc's HTML writer no longer marks a citation's links
-- as such: mark them here, and give each the text of its reference (a page shows it on hover and
-- focus, like a glossary term's definition).
local function mark_links(inlines, texts)
  return pandoc.Inlines(inlines):walk{Link = function(link)
    if link.target:sub(1, 5) == "#ref-" then
      link.attributes.role = "doc-biblioref"
      link.classes:insert("citation__ref")
      link.title = texts[link.target:sub(6)] or ""
    end
    return link
  end}
end

-- The entries of the reference list ({key, content, spans: a numeric style's label
-- and body, or none}), and each entry as plain text (without its label). One pass:
-- each access to an element's field converts it from pandoc's own form anew.
local function reference_entries(blocks)
  local entries, texts = List{}, {}
  for _, block in ipairs(blocks) do
    if block.t == "Div" and block.identifier == "refs" then
      for _, entry in ipairs(block.content) do
        if entry.t == "Div" and entry.identifier:sub(1, 4) == "ref-" then
          local key, content = entry.identifier:sub(5), entry.content
          local para = #content == 1 and content[1] or nil
          local spans = para and (para.t == "Para" or para.t == "Plain") and para.content or {}
          local body = (#spans == 2 and spans[2].t == "Span") and spans[2] or entry
          texts[key] = pandoc.utils.stringify(body)
          entries:insert({key = key, content = content, spans = spans})
        end
      end
    end
  end
  return entries, texts
end

local function cluster_result(cite, note, texts)
  local content = mark_links(cite.content, texts)
  local inline = #content == 1 and content[1] or nil
  local keys = citation_keys(cite)
  if note and inline and inline.t == "Note" then
    return {html = fragment(as_plain(inline.content)), note = true, keys = keys}
  end
  return {html = fragment(pandoc.Blocks{pandoc.Plain(content)}), note = false, keys = keys}
end

local function first(inlines, type)
  for _, inline in ipairs(inlines) do
    if inline.t == type then return inline end
  end
end

local function collect(result, expected, escaped)
  local blocks = result.blocks     -- each access to a field converts it anew
  local entries, texts = reference_entries(blocks)
  local clusters = List{}
  for i, want in ipairs(expected) do
    local content = blocks[i].content
    if want == 0 then
      local cluster = cluster_result(first(content, "Cite"), true, texts)
      if escaped[i] then cluster.escaped = true end
      clusters:insert(cluster)
    elseif want > 0 then
      for j, cite in ipairs(cites_in(first(content, "Note").content)) do
        local cluster = cluster_result(cite, false, texts)
        if type(escaped[i]) == "table" and escaped[i][j] then cluster.escaped = true end
        clusters:insert(cluster)
      end
    end
  end
  local references = List{}
  for _, entry in ipairs(entries) do
    local reference = {key = entry.key, label = pandoc.json.null}
    local spans = entry.spans
    if #spans == 2 and spans[1].t == "Span" and spans[1].classes:includes("csl-left-margin")
        and spans[2].t == "Span" and spans[2].classes:includes("csl-right-inline") then
      reference.label = fragment(pandoc.Blocks{pandoc.Plain(spans[1].content)})
      reference.html = fragment(pandoc.Blocks{pandoc.Plain(spans[2].content)})
    else
      reference.html = fragment(as_plain(entry.content))
    end
    references:insert(reference)
  end
  return clusters, references
end

-- A reference as `pandoc --citeproc` hands it to citeproc. pandoc's BibTeX
-- reader keeps a braced family name whole (`{van der Linden}`, `{de Vicq}`);
-- handed back as metadata, a name goes through CSL JSON's rules, which split
-- lowercase words off a family name as particles ("Linden, Janet van der",
-- sorted under L) unless the family is written in double quotes. So it is.
local function quoted(family)
  if pandoc.utils.type(family) == "Inlines" then
    local inlines = pandoc.Inlines{pandoc.Str('"')}
    inlines:extend(family)
    inlines:insert(pandoc.Str('"'))
    return inlines
  end
  return '"' .. pandoc.utils.stringify(family) .. '"'
end

local function as_read(ref)
  local copy = {}
  for field, value in pairs(ref) do
    if pandoc.utils.type(value) == "List" then
      value = value:map(function(name)
        if type(name) ~= "table" or not name.family or name["non-dropping-particle"] then return name end
        local whole = {}
        for part, text in pairs(name) do whole[part] = text end
        whole.family = quoted(name.family)
        return whole
      end)
    end
    copy[field] = value
  end
  return copy
end

-- The family names (or literal names) of a reference as citeproc sees them:
-- the first of each name variable, and all. A caller uses them to know which
-- references citeproc's name disambiguation can relate.
local function names_of(ref)
  local fields, first, all = List{}, List{}, List{}
  for field, value in pairs(ref) do
    if pandoc.utils.type(value) == "List" then fields:insert(field) end
  end
  fields:sort()
  for _, field in ipairs(fields) do
    for index, name in ipairs(ref[field]) do
      local part = type(name) == "table" and (name.family or name.literal) or nil
      if part then
        local text = pandoc.utils.stringify(part)
        all:insert(text)
        if index == 1 then first:insert(text) end
      end
    end
  end
  return {first = first, all = all}
end

local function render(spec, library)
  local out = {clusters = List{}, references = List{}, unknown = List{}, problems = List{}}
  local ok, doc = pcall(pandoc.read, spec.markdown, "markdown", reader_options)
  if not ok then
    out.problems:insert("pandoc could not read the document: " .. tostring(doc))
    return out
  end
  local problems, escaped = check_parts(doc, spec.parts, spec.escaped)
  if #problems > 0 then
    out.problems = problems
    return out
  end
  -- Only the references it cites (citeproc ignores the others anyway), in
  -- the order of the records: pandoc keeps its bibliography's order, which
  -- is how it numbers entries listed with nocite.
  local keys = List{}
  for _, key in ipairs(cited_keys(doc, spec.nocite)) do
    if library.refs[key] then keys:insert(key) else out.unknown:insert(key) end
  end
  keys:sort(function(a, b) return library.order[a] < library.order[b] end)
  doc.meta.references = keys:map(function(key)
    local entry = library.entries[key]
    entry.as_read = entry.as_read or as_read(entry.ref)
    return entry.as_read
  end)
  doc.meta.csl = job.csl
  doc.meta["link-citations"] = true
  if job.lang ~= pandoc.json.null then doc.meta.lang = job.lang end
  if #spec.nocite > 0 then doc.meta.nocite = nocite_meta(spec.nocite) end
  local done, result = pcall(pandoc.utils.citeproc, doc)
  if not done then
    out.problems:insert("citeproc failed: " .. tostring(result))
    return out
  end
  out.clusters, out.references = collect(result, spec.parts, escaped)
  if job.names then
    out.names = {}
    for _, key in ipairs(keys) do out.names[key] = names_of(library.refs[key]) end
  end
  return out
end

-- Main -----------------------------------------------------------------------

local WRITE_EVERY = 25     -- documents

-- One job: its result as JSON text.
local function run(this_job)
  job, written, pending = this_job, List{}, List{}
  marker = "<!--" .. job.marker .. "-->"
  anchors = job.anchors or {}
  local abbreviations = {}
  for _, abbreviation in ipairs(job.abbreviations) do abbreviations[abbreviation] = true end
  reader_options = pandoc.ReaderOptions{abbreviations = abbreviations}

  local library, unreadable, read = parse_records(job.records)
  dois = {}
  for _, ref in pairs(library.refs) do
    if ref.doi then dois[pandoc.utils.stringify(ref.doi)] = true end
  end
  local documents = List{}
  for index, spec in ipairs(job.documents) do
    documents:insert(render(spec, library))
    if index % WRITE_EVERY == 0 then write_pending() end
  end
  write_pending()

  local function place(index) return index and written[index] or pandoc.json.null end
  for _, doc in ipairs(documents) do
    for _, cluster in ipairs(doc.clusters) do cluster.html = place(cluster.html) end
    for _, reference in ipairs(doc.references) do
      reference.html = place(reference.html)
      if reference.label ~= pandoc.json.null then reference.label = place(reference.label) end
    end
  end
  local out = pandoc.json.encode({unreadable = unreadable, documents = documents, read = read})
  written, pending = nil, nil
  return out
end

local function read_file(path)
  local handle = assert(io.open(path, "rb"))
  local text = handle:read("a")
  handle:close()
  return text
end

local function write_file(path, text)
  local handle = assert(io.open(path, "wb"))
  handle:write(text)
  handle:close()
end

if arg[1] ~= "serve" then
  error("citeproc.lua: run as `pandoc lua citeproc.lua serve` (see pandoc_server.py)")
end
for path in io.lines() do
  local ok, err = pcall(function() write_file(path .. ".out", run(pandoc.json.decode(read_file(path), false))) end)
  io.stderr:flush()
  io.write(ok and "done\n" or ("failed " .. tostring(err):gsub("%s+", " ") .. "\n"))
  io.flush()
  collectgarbage()
end
