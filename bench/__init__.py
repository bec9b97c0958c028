"""The benchmark: synthetic site projects, the equivalent Hugo site, and a runner that times both."""
