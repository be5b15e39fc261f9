-- Moves one in-flight message back to the consuming end of its queue (RPUSH: workers RPOP, so it is taken next,
-- as kombu's restore does) and forgets it as in flight, atomically: a crash mid-restore loses nothing.
-- Like kombu 5.6 (_do_restore_message -> _q_for_pri(queue, pri)), a message carrying properties.priority goes back to
-- its priority sub-list "<queue>\x06\x16<step>" (steps 0 3 6 9, priority clamped to 0..9, step 0 = the queue itself).
-- KEYS[1] unacked  KEYS[2] unacked_index
-- ARGV[1] delivery tag  ARGV[2] SHA1 the entry must have ('' = any)
-- ARGV[3] queue, ARGV[4] envelope: given by the caller when the entry is not in the shape written by kombu/us
-- Returns 1 moved, 0 nothing in flight under that tag (index entry dropped), -1 entry not understood, -2 changed.
local entry = redis.call('HGET', KEYS[1], ARGV[1])
if not entry then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
if ARGV[2] ~= '' and redis.sha1hex(entry) ~= ARGV[2] then return -2 end
local envelope, queue = ARGV[4], ARGV[3]
if envelope == '' then
  local e, ex, rk = string.match(entry, '^%[(.*), "([^"\\]*)", "([^"\\]*)"%]$')
  if not e then return -1 end
  envelope, queue = e, rk
end
-- kombu's _get_message_priority: int(properties.priority) clamped to 0..9, 0 when missing or not a whole number
local function priorityList(q, raw)
  local ok, env = pcall(cjson.decode, raw)
  if not ok or type(env) ~= 'table' or type(env.properties) ~= 'table' then return q end
  local p, n = env.properties.priority, nil
  if type(p) == 'number' then
    n = p
  elseif type(p) == 'string' and string.match(p, '^%s*[+-]?%d+%s*$') then
    n = tonumber(p)
  elseif type(p) == 'boolean' then
    n = p and 1 or 0
  end
  if not n then return q end
  if n >= 0 then n = math.floor(n) else n = math.ceil(n) end
  n = math.max(0, math.min(9, n))
  local step = 0
  for _, s in ipairs({0, 3, 6, 9}) do
    if n >= s then step = s end
  end
  if step == 0 then return q end
  return q .. '\6\22' .. step
end
redis.call('RPUSH', priorityList(queue, envelope), envelope)
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
