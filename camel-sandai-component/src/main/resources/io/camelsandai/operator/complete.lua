-- Writes result metas unless the stored one is final, and acks delivery tags, for one or more tasks in one call:
-- the worker's writer sends the results and acks of many tasks as one script call, since each script call costs
-- Redis more CPU than the few commands inside it. Each task's step is its own: one that fails does not stop the others.
-- Per task i (from 0), KEYS[3i+1] celery-task-meta-<id>  KEYS[3i+2] unacked  KEYS[3i+3] unacked_index
-- ARGV[3i+1] meta bytes (empty: only ack)  ARGV[3i+2] expiry seconds  ARGV[3i+3] delivery tag to ack (empty: no ack)
-- Returns one member per task: 1 when the meta was written, 0 when a final state was kept (or nothing to write),
-- or the error text when Redis refused a command of that task's step.
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
local function complete(metaKey, unacked, index, meta, expiry, tag)
  local written = 0
  if meta ~= '' then
    local current = redis.call('GET', metaKey)
    if not (current and isFinal(storedStatus(current))) then
      redis.call('SETEX', metaKey, expiry, meta)
      redis.call('PUBLISH', metaKey, meta)
      written = 1
    end
  end
  if tag ~= '' then
    redis.call('ZREM', index, tag)
    redis.call('HDEL', unacked, tag)
  end
  return written
end
local replies = {}
for i = 0, #KEYS / 3 - 1 do
  local k, a = 3 * i, 3 * i
  local ok, reply = pcall(complete, KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3])
  if ok then
    replies[#replies + 1] = reply
  else
    -- redis.call raises a table {err = text}; anything else is a bug in this script
    replies[#replies + 1] = type(reply) == 'table' and tostring(reply.err) or tostring(reply)
  end
end
return replies
