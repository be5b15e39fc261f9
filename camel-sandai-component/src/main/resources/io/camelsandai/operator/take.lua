-- Takes up to ARGV[1] messages from the lists KEYS[4..] in the given order (strict priority) and records each as
-- in flight in the same atomic step, so that a worker killed at any instant loses nothing.
-- KEYS[1] unacked (hash)  KEYS[2] unacked_index (zset)  KEYS[3] pending malformed messages (hash)  KEYS[4..] lists
-- ARGV[1] max messages  ARGV[2] max message bytes  ARGV[3] synthetic tag prefix (after the Redis time in ms, so that
-- the restore, which also reads Redis TIME, can tell the age of a malformed message without the JVM clock)
-- ARGV[3 + i] the JSON-encoded queue name (routing key) of list KEYS[3 + i]
-- Returns a flat array, 4 members per message: kind (1 recorded in unacked, 0 recorded as malformed), tag,
-- list number (1-based), raw message.
local max = tonumber(ARGV[1])
local maxBytes = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = t[1] .. '.' .. string.format('%06d', tonumber(t[2]))
local nowMillis = t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000))
local out = {}
local taken = 0
for i = 4, #KEYS do
  local queueJson = ARGV[i]
  while taken < max do
    local raw = redis.call('RPOP', KEYS[i])
    if not raw then break end
    taken = taken + 1
    local tag = nil
    if #raw <= maxBytes then
      local ok, env = pcall(cjson.decode, raw)
      if ok and type(env) == 'table' and type(env.properties) == 'table' then
        local candidate = env.properties.delivery_tag
        if type(candidate) == 'string' and candidate ~= '' then tag = candidate end
      end
    end
    if tag then
      -- kombu's shape: [<envelope>, "<exchange>", "<routing key>"]; the envelope stays byte-for-byte as sent
      redis.call('HSET', KEYS[1], tag, '[' .. raw .. ', "", ' .. queueJson .. ']')
      redis.call('ZADD', KEYS[2], now, tag)
      out[#out + 1] = 1
      out[#out + 1] = tag
    else
      -- not something kombu's restore could read: keep it in our own hash until Java dead-letters it
      local synthetic = nowMillis .. ':' .. ARGV[3] .. taken
      redis.call('HSET', KEYS[3], synthetic, string.len(queueJson) .. ':' .. queueJson .. raw)
      out[#out + 1] = 0
      out[#out + 1] = synthetic
    end
    out[#out + 1] = i - 3
    out[#out + 1] = raw
  end
  if taken >= max then break end
end
return out
