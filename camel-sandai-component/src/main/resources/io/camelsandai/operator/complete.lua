-- Writes a result meta unless the stored one is final, and acks the delivery tag, in one step.
-- KEYS[1] celery-task-meta-<id>  KEYS[2] unacked  KEYS[3] unacked_index
-- ARGV[1] meta bytes (empty: only ack)  ARGV[2] expiry seconds  ARGV[3] delivery tag to ack (empty: no ack)
-- Returns 1 when the meta was written, 0 when a final state was kept (or nothing to write).
local function isFinal(status)
  return status == 'SUCCESS' or status == 'FAILURE' or status == 'REVOKED'
end
local function storedStatus(value)
  local ok, decoded
  if string.sub(value, 1, 1) == '{' then
    ok, decoded = pcall(cjson.decode, value)
  else
    ok, decoded = pcall(cmsgpack.unpack, value)
  end
  if ok and type(decoded) == 'table' and type(decoded.status) == 'string' then return decoded.status end
  return nil
end
local written = 0
if ARGV[1] ~= '' then
  local current = redis.call('GET', KEYS[1])
  if not (current and isFinal(storedStatus(current))) then
    redis.call('SETEX', KEYS[1], ARGV[2], ARGV[1])
    redis.call('PUBLISH', KEYS[1], ARGV[1])
    written = 1
  end
end
if ARGV[3] ~= '' then
  redis.call('ZREM', KEYS[3], ARGV[3])
  redis.call('HDEL', KEYS[2], ARGV[3])
end
return written
