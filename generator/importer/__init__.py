"""Import a plan's source text into a first draft of its catalogue YAML."""
