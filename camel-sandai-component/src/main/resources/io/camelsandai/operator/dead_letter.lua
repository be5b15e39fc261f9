-- Moves a message that cannot run to the dead-letter list and forgets it as in flight, atomically; only the
-- worker that still holds the in-flight record moves it, so nothing is dead-lettered twice.
-- KEYS[1] hash holding the record (unacked or the malformed hash)  KEYS[2] unacked_index  KEYS[3] dead-letter list
-- ARGV[1] tag  ARGV[2] dead-letter record
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('LPUSH', KEYS[3], ARGV[2])
  return 1
end
redis.call('ZREM', KEYS[2], ARGV[1])
return 0
