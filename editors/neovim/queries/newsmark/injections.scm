; TODO/NOTE/FIXME in comments, when the `comment` parser is installed.
((comment) @injection.content
  (#set! injection.language "comment"))
