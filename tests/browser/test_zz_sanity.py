from tests.browser.test_reader_pages import axe_violations, describe_violations

def test_sanity(tab, demo_site):
    tab.open("/")
    tab.page.evaluate("""() => { const i = document.createElement('img'); i.src='data:,'; document.querySelector('main').append(i);
      const d = document.createElement('div'); d.innerHTML = '<p style="color:red">x</p>'; document.body.append(d); }""")
    tab.page.wait_for_timeout(200)
    print(describe_violations(axe_violations(tab)))
    print(tab.console_errors)
