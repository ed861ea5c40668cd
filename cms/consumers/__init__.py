"""What serves the sites and caches that consume documents: the change feed, webhooks, cache
purges and headless preview. Each reads the change log or renders with the pipeline; none is
read by the pipeline itself.
"""
