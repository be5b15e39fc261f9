-- Moves one in-flight message back to the consuming end of its queue (RPUSH: workers RPOP, so it is taken next,
-- as kombu's restore does) and forgets it as in flight, atomically: a crash mid-restore loses nothing.
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
redis.call('RPUSH', queue, envelope)
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
