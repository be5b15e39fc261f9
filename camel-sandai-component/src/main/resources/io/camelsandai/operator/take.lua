-- Takes up to ARGV[1] messages from the lists KEYS[5..] in the given order (strict priority) and records each as
-- in flight in the same atomic step, so that a worker killed at any instant loses nothing.
-- KEYS[1] unacked (hash)  KEYS[2] unacked_index (zset)  KEYS[3] pending malformed messages (hash)
-- KEYS[4] dead-letter list  KEYS[5..] lists
-- ARGV[1] max messages  ARGV[2] max message bytes  ARGV[3] synthetic tag prefix (after the Redis time in ms, so that
-- the restore, which also reads Redis TIME, can tell the age of a malformed message without the JVM clock)
-- ARGV[i - 1] the JSON-encoded queue name (routing key) of list KEYS[i]
-- Returns a flat array, 4 members per message: kind, tag, list number (1-based), payload.
--   kind 1: recorded in unacked under the tag; payload the raw message
--   kind 0: recorded in the malformed hash under a synthetic tag (no usable tag, or over ARGV[2] bytes and not
--           ASCII); payload the raw message
--   kind 2: over ARGV[2] bytes and ASCII, already moved to the dead-letter list (with its reason) under a synthetic
--           tag and recorded nowhere; payload {length, task id or ""}: the body never leaves Redis
--
-- What a big message costs here (measured, docs/performance.md "1 MiB task bodies"): Redis's Lua hashes every byte
-- of every string it creates (redis/redis#9449), so each copy of a message made as a Lua string -- the pop, and
-- kombu's '[' .. raw .. ']' record -- costs 1-1.5 ns per byte; the text scans below (plain finds, memchr) cost
-- next to nothing. Those two copies are the floor for a take that writes kombu's record atomically; nothing else
-- here makes a copy of a kept message. Character-class patterns over a whole message cost ~10 ns per byte: none
-- is used on one.
--
-- The delivery tag is found by a plain-text scan, not by decoding the message: a full cjson decode of every message
-- was most of the Redis CPU a task cost. In JSON text a quote inside a string is always escaped, so a
-- "delivery_tag" right after '{' or ',' is a key of some object; when it is the only such key and its value is a
-- plain string, that is the tag kombu would read (the JVM checks it against properties.delivery_tag and refuses the
-- message when they differ). Anything less clear (no key, two keys, escapes, not a string) falls back to the full
-- decode, so the result never differs from what cjson would say about a well-formed envelope.
local max = tonumber(ARGV[1])
local maxBytes = tonumber(ARGV[2])
-- LMPOP (Redis 7.0+) pops up to count messages from the first non-empty list of those it is given, in their order:
-- one command finds the next list in strict priority order, where RPOP went to each empty list before it (four
-- for a normal-priority task: the high lists come first). Returns the list's number in KEYS, its messages and
-- whether it is now drained; nil when every list from KEYS[from] on is empty; false when the server refuses LMPOP
-- (older than 7.0, or a key of another type: the RPOP way then says what is wrong, as before).
local function lmpop(from, count)
  local args = {#KEYS - from + 1}
  for i = from, #KEYS do args[#args + 1] = KEYS[i] end
  args[#args + 1] = 'RIGHT'
  args[#args + 1] = 'COUNT'
  args[#args + 1] = count
  local reply = redis.pcall('LMPOP', unpack(args))
  if reply == false then return nil end
  if type(reply) ~= 'table' or reply.err ~= nil then return false end
  for i = from, #KEYS do
    if KEYS[i] == reply[1] then return i, reply[2], #reply[2] < count end
  end
  error('LMPOP answered with a key it was not given') -- cannot happen: LMPOP names one of its own keys
end
-- The first pop is also the idle check: an idle worker calls this once per safety wake-up, and one LMPOP over all
-- lists costs Redis one command. A server without LMPOP counts the non-empty lists with one EXISTS instead (a pop
-- on each of the up to 16 lists would cost 16), and the rounds below stop once that many lists gave messages.
local firstList, firstBatch, firstDrained = lmpop(5, max)
if firstList == nil then return {} end
local withLmpop = firstList ~= false
local nonEmpty = #KEYS -- with LMPOP, a nil answer ends the round
if not withLmpop then
  local lists = {}
  for i = 5, #KEYS do lists[#lists + 1] = KEYS[i] end
  nonEmpty = redis.call('EXISTS', unpack(lists))
  if nonEmpty == 0 then return {} end
end
local t = redis.call('TIME')
-- Redis time as Celery's float epoch (dead-letter records) and in milliseconds (synthetic tags): both only for a
-- malformed or oversize message, so made on first use -- the two string.format calls cost a take 0.75-2.2 us of
-- Redis CPU, about as much as the TIME call itself (docs/performance.md "Redis time as text only when needed").
local nowText, nowMillisText
local function now()
  nowText = nowText or (t[1] .. '.' .. string.format('%06d', tonumber(t[2])))
  return nowText
end
local function nowMillis()
  nowMillisText = nowMillisText or (t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000)))
  return nowMillisText
end
-- unacked_index scores are whole seconds, rounded up: a sorted set this small is a listpack, and each insert reads
-- the score of every member before it, which costs a strtod per member for a fractional score (Celery's float
-- epoch) but next to nothing for an integer -- at a prefetch of 32 that was ~30 strtod calls per message taken.
-- kombu's restore only compares scores with "now - visibility_timeout" (seconds), so whole seconds read the same;
-- rounding up can only restore a message up to a second later, never earlier.
local score = tostring(tonumber(t[1]) + (tonumber(t[2]) > 0 and 1 or 0))
-- The key is looked for as 'delivery_tag"' (its opening quote checked after): a plain find stops at every byte
-- equal to the pattern's first one, and '"' is the commonest byte of an envelope where 'd' is rare; together with
-- the byte checks below this made the scan about a third of what the patterns it replaces cost (callgrind,
-- docs/performance.md "Redis scripts counted in instructions").
local NAME = 'delivery_tag"'

-- true when the quote at q opens a key: the last non-space character before it is '{' or ','. json.dumps writes
-- '{"' or ', "', decided from two bytes; anything else gets the general rule, so the answer is the same either way.
local function opensKey(raw, q)
  local b = string.byte(raw, q - 1)
  if b == 123 or b == 44 then return true end                -- '{' or ','
  if b == 32 then
    local c = string.byte(raw, q - 2)
    if c == 44 or c == 123 then return true end              -- ', ' or '{ '
  end
  local before = string.match(string.sub(raw, math.max(1, q - 8), q - 1), '([^%s]?)%s*$')
  return before == '{' or before == ','
end

-- the plain string value after the key that ends at e, or nil when it is not one (escapes, not a string)
local function valueAfter(raw, e)
  local colon, space, quote = string.byte(raw, e + 1, e + 3)
  if colon == 58 and space == 32 and quote == 34 then        -- json.dumps' ': "'
    local close = string.find(raw, '"', e + 4, true)
    if not close then return nil end
    local value = string.sub(raw, e + 4, close - 1)
    if string.find(value, '\\', 1, true) then return nil end -- an escaped quote or other escape: unclear
    return value
  end
  return string.match(raw, '^%s*:%s*"([^"\\]*)"', e + 1)
end

-- the value of the one structural "delivery_tag" key when it is a plain string; false when unclear
local function scannedTag(raw)
  local found = false
  local from = 1
  while true do
    local s, e = string.find(raw, NAME, from, true)
    if not s then return found end
    from = e + 1
    local q = s - 1
    if q >= 1 and string.byte(raw, q) == 34 and opensKey(raw, q) then
      if found ~= false then return false end -- a second key: let cjson decide
      local value = valueAfter(raw, e)
      if not value or value == '' then return false end
      found = value
    end
  end
end

local function decodedTag(raw)
  local ok, env = pcall(cjson.decode, raw)
  if ok and type(env) == 'table' and type(env.properties) == 'table' then
    local candidate = env.properties.delivery_tag
    if type(candidate) == 'string' and candidate ~= '' then return candidate end
  end
  return nil
end

-- Oversize messages are decided on their length alone and never returned whole: the JVM gets what it needs to
-- answer the caller (the task id, Celery's result key) and the message goes to the dead-letter list here.

-- true when no byte is >= 0x80 (kombu and Celery write ASCII envelopes: json.dumps' ensure_ascii, body in base64).
-- One plain find (memchr) per high byte value costs ~2 ns per message byte while the text stays in the CPU's cache,
-- where a [\128-\255] pattern costs ~12; a text larger than the cache is looked at in cache-sized pieces (each
-- piece a new string, ~1.3 ns per byte to make) instead of 128 passes through memory.
-- Built on first use: a script's top level runs on every call, and making these 128 strings cost Redis more than
-- the rest of a one-message take (measured with callgrind: ~150,000 instructions per call); only oversize messages
-- need them.
local HIGH = nil
local ASCII_PIECE = 262144
local function ascii(raw)
  if not HIGH then
    HIGH = {}
    for b = 128, 255 do HIGH[#HIGH + 1] = string.char(b) end
  end
  local n = #raw
  local piece = n <= 8 * ASCII_PIECE and n or ASCII_PIECE
  for from = 1, n, piece do
    local text = piece == n and raw or string.sub(raw, from, from + piece - 1)
    for _, high in ipairs(HIGH) do
      if string.find(text, high, 1, true) then return false end
    end
  end
  return true
end

-- the task id as codec/EnvelopeScan reads it: the value of the one "correlation_id" key (Celery sets it to the task
-- id), a plain string of 1..255 characters; nil when absent, repeated, escaped or anything less clear
local CORRELATION = '"correlation_id"'
local function scannedTaskId(raw)
  local found = nil
  local from = 1
  while true do
    local s, e = string.find(raw, CORRELATION, from, true)
    if not s then return found end
    from = e + 1
    if found or (s > 1 and string.byte(raw, s - 1) == 92) then return nil end -- twice, or after a backslash
    local _, q = string.find(raw, '^[ \t\r\n]*:[ \t\r\n]*"', e + 1)
    if not q then return nil end
    local close = string.find(raw, '"', q + 1, true)
    if not close or close == q + 1 or close - q - 1 > 255 then return nil end
    local value = string.sub(raw, q + 1, close - 1)
    if string.find(value, '[%z\1-\31\\]') then return nil end
    found = value
  end
end

-- the dead-letter record TaskProcessor.deadLetterRecord writes, keys in its order; the message as JSON text
local function deadLetterRecord(reason, queueJson, raw)
  return '{"reason": ' .. cjson.encode(reason) .. ', "queue": ' .. queueJson .. ', "received_at": ' .. now()
      .. ', "message": ' .. cjson.encode(raw) .. '}'
end

local out = {}
local taken = 0
-- one HSET / ZADD per round for all messages, not one per message: each redis.call from Lua costs more Redis CPU
-- than the command itself; chunked so that unpack() stays far below Lua's stack limit
local CHUNK = 500
local unacked, index, malformed = {}, {}, {}
local function flush(command, key, args)
  if #args > 0 then
    redis.call(command, key, unpack(args))
  end
  return {}
end
local function record(args, command, key, a, b)
  args[#args + 1] = a
  args[#args + 1] = b
  if #args >= 2 * CHUNK then return flush(command, key, args) end
  return args
end
-- RPOP with a count (Redis 6.2+) pops many in one call, and by returning fewer than asked says that the list is now
-- empty; older servers refuse it and get one RPOP per message. Returns the messages and whether the list is drained.
local function pop(list, count)
  local many = redis.pcall('RPOP', list, count)
  if type(many) == 'table' and many.err == nil then return many, #many < count end
  if many == false then return {}, true end
  local one = redis.call('RPOP', list)
  if not one then return {}, true end
  return {one}, false
end
-- Without LMPOP, the EXISTS above counted the non-empty lists, and nothing else runs while a script does: once that
-- many lists gave messages, the rest are empty and are not popped (one queued task used to cost a pop on each of
-- the up to 16 lists: 17 RPOPs per task when calls come one at a time).
local found = 0
local from = 5
local lastList = nil
while taken < max and found < nonEmpty and from <= #KEYS do
  local i, batch, drained = nil, nil, nil
  if firstList then
    i, batch, drained = firstList, firstBatch, firstDrained
    firstList = nil
  elseif withLmpop then
    i, batch, drained = lmpop(from, max - taken)
    if i == false then withLmpop = false end
  end
  if not withLmpop then
    i = from
    batch, drained = pop(KEYS[i], max - taken)
  end
  if not i then break end -- LMPOP: every list from KEYS[from] on is empty
  if #batch > 0 and i ~= lastList then
    found = found + 1
    lastList = i
  end
  local queueJson = ARGV[i - 1]
  for _, raw in ipairs(batch) do
    taken = taken + 1
    local size = #raw
    local tag = nil
    local oversize = size > maxBytes
    if not oversize then
      tag = scannedTag(raw) or decodedTag(raw)
    end
    if oversize and ascii(raw) then
      -- refused here: into the dead-letter list in this same atomic step, so nothing is lost and nothing is
      -- recorded in flight; a text that is not ASCII goes the malformed way below (its record may need base64,
      -- which the JVM writes)
      local reason = 'message of ' .. size .. ' bytes exceeds maxMessageBytes ' .. ARGV[2]
      redis.call('LPUSH', KEYS[4], deadLetterRecord(reason, queueJson, raw))
      out[#out + 1] = 2
      out[#out + 1] = nowMillis() .. ':' .. ARGV[3] .. taken
      out[#out + 1] = i - 4
      out[#out + 1] = {size, scannedTaskId(raw) or ''}
    elseif tag then
      -- kombu's shape: [<envelope>, "<exchange>", "<routing key>"]; the envelope stays byte-for-byte as sent
      unacked = record(unacked, 'HSET', KEYS[1], tag, '[' .. raw .. ', "", ' .. queueJson .. ']')
      index = record(index, 'ZADD', KEYS[2], score, tag)
      out[#out + 1] = 1
      out[#out + 1] = tag
      out[#out + 1] = i - 4
      out[#out + 1] = raw
    else
      -- not something kombu's restore could read: keep it in our own hash until Java dead-letters it
      local synthetic = nowMillis() .. ':' .. ARGV[3] .. taken
      malformed = record(malformed, 'HSET', KEYS[3], synthetic, string.len(queueJson) .. ':' .. queueJson .. raw)
      out[#out + 1] = 0
      out[#out + 1] = synthetic
      out[#out + 1] = i - 4
      out[#out + 1] = raw
    end
  end
  if drained then from = i + 1 end
end
flush('HSET', KEYS[1], unacked)
flush('ZADD', KEYS[2], index)
flush('HSET', KEYS[3], malformed)
return out
