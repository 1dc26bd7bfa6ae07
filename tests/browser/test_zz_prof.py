import time

def test_timing(chromium, live_server):
    for i in range(6):
        t=time.perf_counter(); c = chromium.new_context(); t1=time.perf_counter(); p = c.new_page(); t2=time.perf_counter()
        p.goto(live_server.url + "/static/broadsheet/site.css"); t3=time.perf_counter(); c.close(); t4=time.perf_counter()
        print(f"ctx {t1-t:.3f} page {t2-t1:.3f} goto {t3-t2:.3f} close {t4-t3:.3f}")
