-- kombu's compare-and-delete of unacked_mutex: only the holder's token releases it.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
