-- Takes up to ARGV[1] messages from the lists KEYS[4..] in the given order (strict priority) and records each as
-- in flight in the same atomic step, so that a worker killed at any instant loses nothing.
-- KEYS[1] unacked (hash)  KEYS[2] unacked_index (zset)  KEYS[3] pending malformed messages (hash)  KEYS[4..] lists
-- ARGV[1] max messages  ARGV[2] max message bytes  ARGV[3] synthetic tag prefix (after the Redis time in ms, so that
-- the restore, which also reads Redis TIME, can tell the age of a malformed message without the JVM clock)
-- ARGV[3 + i] the JSON-encoded queue name (routing key) of list KEYS[3 + i]
-- Returns a flat array, 4 members per message: kind (1 recorded in unacked, 0 recorded as malformed), tag,
-- list number (1-based), raw message.
--
-- The delivery tag is found by a plain-text scan, not by decoding the message: a full cjson decode of every message
-- was most of the Redis CPU a task cost. In JSON text a quote inside a string is always escaped, so a
-- "delivery_tag" right after '{' or ',' is a key of some object; when it is the only such key and its value is a
-- plain string, that is the tag kombu would read (the JVM checks it against properties.delivery_tag and refuses the
-- message when they differ). Anything less clear (no key, two keys, escapes, not a string) falls back to the full
-- decode, so the result never differs from what cjson would say about a well-formed envelope.
local max = tonumber(ARGV[1])
local maxBytes = tonumber(ARGV[2])
-- an idle worker calls this once per safety wake-up: one EXISTS over all lists costs Redis one command, where a
-- pop on each of the (up to 16) lists would cost 16
local lists = {}
for i = 4, #KEYS do lists[#lists + 1] = KEYS[i] end
if redis.call('EXISTS', unpack(lists)) == 0 then return {} end
local t = redis.call('TIME')
local now = t[1] .. '.' .. string.format('%06d', tonumber(t[2]))
local nowMillis = t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000))
local KEY = '"delivery_tag"'

-- the value of the one structural "delivery_tag" key when it is a plain string; false when unclear
local function scannedTag(raw)
  local found = false
  local from = 1
  while true do
    local s, e = string.find(raw, KEY, from, true)
    if not s then return found end
    from = e + 1
    local before = string.match(string.sub(raw, math.max(1, s - 8), s - 1), '([^%s]?)%s*$')
    if before == '{' or before == ',' then
      if found ~= false then return false end -- a second key: let cjson decide
      local value = string.match(raw, '^%s*:%s*"([^"\\]*)"', e + 1)
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
-- RPOP with a count (Redis 6.2+) pops many in one call; older servers refuse it and get one RPOP per message
local function pop(list, count)
  local many = redis.pcall('RPOP', list, count)
  if type(many) == 'table' and many.err == nil then return many end
  if many == false then return {} end
  local one = redis.call('RPOP', list)
  if not one then return {} end
  return {one}
end
for i = 4, #KEYS do
  local queueJson = ARGV[i]
  while taken < max do
    local batch = pop(KEYS[i], max - taken)
    if #batch == 0 then break end
    for _, raw in ipairs(batch) do
      taken = taken + 1
      local tag = nil
      if #raw <= maxBytes then
        tag = scannedTag(raw) or decodedTag(raw)
      end
      if tag then
        -- kombu's shape: [<envelope>, "<exchange>", "<routing key>"]; the envelope stays byte-for-byte as sent
        unacked = record(unacked, 'HSET', KEYS[1], tag, '[' .. raw .. ', "", ' .. queueJson .. ']')
        index = record(index, 'ZADD', KEYS[2], now, tag)
        out[#out + 1] = 1
        out[#out + 1] = tag
      else
        -- not something kombu's restore could read: keep it in our own hash until Java dead-letters it
        local synthetic = nowMillis .. ':' .. ARGV[3] .. taken
        malformed = record(malformed, 'HSET', KEYS[3], synthetic, string.len(queueJson) .. ':' .. queueJson .. raw)
        out[#out + 1] = 0
        out[#out + 1] = synthetic
      end
      out[#out + 1] = i - 3
      out[#out + 1] = raw
    end
  end
  if taken >= max then break end
end
flush('HSET', KEYS[1], unacked)
flush('ZADD', KEYS[2], index)
flush('HSET', KEYS[3], malformed)
return out
