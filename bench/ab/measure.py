import json, statistics, sys, time
import photospicker
picker, library, token, session_id = sys.argv[1:5]
client = photospicker.Client(token=token, endpoint=picker, library_endpoint=library)
client.get_session(session_id)
gets = []
for _ in range(5):
    samples = []
    for _ in range(200):
        t = time.perf_counter(); client.get_session(session_id); samples.append(time.perf_counter() - t)
    gets.append(statistics.median(samples))
lists = []
for _ in range(3):
    t = time.perf_counter(); n = sum(1 for _ in client.list_media_items(session_id)); lists.append(time.perf_counter() - t)
    assert n == 2000, n
print(json.dumps({"get": statistics.median(gets), "list": statistics.median(lists)}))
