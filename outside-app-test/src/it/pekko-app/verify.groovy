// The application exits non-zero on a wrong answer; this also checks that it ran to its report at all.
def log = new File(basedir, 'build.log').text
assert log.contains('square [1.0, 2.0, 3.0] = [1.0, 4.0, 9.0], app_negate = [-1.0, -4.0, -9.0]') :
        'the application did not print the expected answers'
