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
-- The meta step of one task: GET (a final state is kept), SETEX, PUBLISH. Returns 1 written, 0 kept or nothing to write.
local function writeMeta(metaKey, meta, expiry)
  if meta == '' then return 0 end
  local current = redis.call('GET', metaKey)
  if current and isFinal(storedStatus(current)) then return 0 end
  redis.call('SETEX', metaKey, expiry, meta)
  redis.call('PUBLISH', metaKey, meta)
  return 1
end
-- Acks are gathered per (unacked, unacked_index) pair and sent as one ZREM and one HDEL for all tags of the call,
-- not two commands per task: each redis.call from Lua costs Redis more than removing one more member. Only a task
-- whose meta step succeeded is acked (a task whose result could not be stored stays in flight, to be restored),
-- and all of a pair's tasks share its outcome: they are the same two keys.
local replies = {}
local acks = {}   -- "<unacked>\0<index>" -> {unacked, index, tags = {...}, tasks = {...}}
local order = {}
local last = nil  -- the previous task's group: every caller passes the same two keys, so the pair's name (a new
                  -- string per task) is made only when they change
for i = 0, #KEYS / 3 - 1 do
  local k = 3 * i
  local ok, reply = pcall(writeMeta, KEYS[k + 1], ARGV[k + 1], ARGV[k + 2])
  if ok then
    replies[i + 1] = reply
    local tag = ARGV[k + 3]
    if tag ~= '' then
      local group = last
      if not (group and group.unacked == KEYS[k + 2] and group.index == KEYS[k + 3]) then
        local pair = KEYS[k + 2] .. '\0' .. KEYS[k + 3]
        group = acks[pair]
        if not group then
          group = {unacked = KEYS[k + 2], index = KEYS[k + 3], tags = {}, tasks = {}}
          acks[pair] = group
          order[#order + 1] = group
        end
        last = group
      end
      group.tags[#group.tags + 1] = tag
      group.tasks[#group.tasks + 1] = i + 1
    end
  else
    -- redis.call raises a table {err = text}; anything else is a bug in this script
    replies[i + 1] = type(reply) == 'table' and tostring(reply.err) or tostring(reply)
  end
end
-- chunked so that unpack() stays far below Lua's stack limit
local CHUNK = 500
local function removeAll(group)
  for from = 1, #group.tags, CHUNK do
    local last = math.min(from + CHUNK - 1, #group.tags)
    redis.call('ZREM', group.index, unpack(group.tags, from, last))
    redis.call('HDEL', group.unacked, unpack(group.tags, from, last))
  end
end
for _, group in ipairs(order) do
  local ok, err = pcall(removeAll, group)
  if not ok then
    local text = type(err) == 'table' and tostring(err.err) or tostring(err)
    for _, task in ipairs(group.tasks) do replies[task] = text end
  end
end
return replies
