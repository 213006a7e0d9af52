# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""Audio, video and images: ffmpeg, ImageMagick, exiftool, PDFs."""

from ._dsl import P, T, cross
from ._pools import IMAGE_FILES, VIDEO_FILES

# -- ffmpeg -------------------------------------------------------------------------------------

T("ffmpeg.convert_mp4", "ffmpeg -i {video} -c:v libx264 -c:a aac {out}", """
convert {video} to mp4
transcode {video} into an h264 mp4 called {out}
make {video} playable everywhere as mp4
""", P("video out", "clip.mov clip.mp4", "movie.mkv movie.mp4", "recording.webm recording.mp4",
       "screen.mov screen.mp4", "old.avi old.mp4"))

T("ffmpeg.extract_audio", "ffmpeg -i {video} -vn -acodec libmp3lame -q:a 2 {out}", """
extract the audio from {video} as mp3
rip the soundtrack of {video} to {out}
convert the video {video} to an mp3
""", P("video out", "video.mp4 audio.mp3", "talk.mp4 talk.mp3", "clip.mov clip.mp3",
       "movie.mkv soundtrack.mp3"))

T("ffmpeg.copy_audio", "ffmpeg -i {video} -vn -c:a copy {out}", """
extract the audio track from {video} without re-encoding
copy the audio stream of {video} into {out}
""", P("video out", "video.mp4 audio.m4a", "talk.mp4 talk.m4a", "movie.mkv audio.aac"))

T("ffmpeg.trim", "ffmpeg -ss {start} -to {end} -i {video} -c copy {out}", """
cut {video} from {start} to {end}
trim {video} keeping only {start} to {end}
extract the part of {video} between {start} and {end}
""", cross(P("start end", "00:01:00 00:02:30", "00:00:10 00:00:40", "00:05:00 00:06:00",
             "00:00:00 00:00:30"), P("video out", "video.mp4 clip.mp4", "talk.mp4 excerpt.mp4",
                                     "movie.mkv scene.mkv")))

T("ffmpeg.resize", "ffmpeg -i {video} -vf scale={w}:-2 {out}", """
resize {video} to {w} pixels wide
scale {video} down to width {w}
make {video} {w}p wide keeping the aspect ratio
""", cross(P("w", "1280", "640", "1920", "854"), P("video out", "video.mp4 small.mp4",
                                                   "movie.mkv movie_small.mkv",
                                                   "clip.mov clip_resized.mp4")))

T("ffmpeg.compress", "ffmpeg -i {video} -c:v libx264 -crf {crf} -preset slow -c:a aac -b:a 128k {out}", """
compress {video} to make it smaller
reduce the file size of {video}
shrink {video} with good quality
""", cross(P("crf", "28", "26", "30", "23"), P("video out", "video.mp4 video_small.mp4",
                                               "screen.mov screen.mp4", "talk.mp4 talk_small.mp4")))

T("ffmpeg.gif", "ffmpeg -i {video} -vf 'fps=10,scale=480:-1:flags=lanczos' {out}", """
turn {video} into a gif
convert the clip {video} to an animated gif
make a gif from {video}
""", P("video out", "clip.mp4 clip.gif", "screen.mov demo.gif", "recording.webm recording.gif"))

T("ffmpeg.thumbnail", "ffmpeg -ss {t} -i {video} -frames:v 1 {out}", """
grab a frame from {video} at {t} as an image
take a screenshot of {video} at {t}
make a thumbnail of {video}
""", cross(P("t", "00:00:05", "00:01:00", "00:00:30"), P("video out", "video.mp4 thumb.jpg",
                                                        "movie.mkv poster.png",
                                                        "talk.mp4 frame.jpg")))

T("ffmpeg.frames", "ffmpeg -i {video} -vf fps={fps} frame_%04d.png", """
extract frames from {video}, {fps} per second
split {video} into images
""", cross(P("fps", "1", "5", "10"), VIDEO_FILES))

T("ffmpeg.images_to_video", "ffmpeg -framerate {fps} -i frame_%04d.png -c:v libx264 -pix_fmt yuv420p {out}", """
make a video from the numbered png frames at {fps} fps
turn an image sequence into {out}
""", P("fps out", "30 output.mp4", "24 timelapse.mp4", "10 slideshow.mp4"))

T("ffmpeg.info", "ffprobe -hide_banner {video}", """
show information about {video}
what codec and resolution is {video}
video details of {video}
""", VIDEO_FILES)

T("ffmpeg.duration", "ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 {video}", """
how long is {video}
duration of {video} in seconds
""", VIDEO_FILES)

T("ffmpeg.concat", "ffmpeg -f concat -safe 0 -i {list} -c copy {out}", """
join the videos listed in {list} into {out}
concatenate video files without re-encoding
""", P("list out", "files.txt joined.mp4", "parts.txt full.mp4", "list.txt merged.mkv"))

T("ffmpeg.mute", "ffmpeg -i {video} -c copy -an {out}", """
remove the audio from {video}
make a silent copy of {video}
""", P("video out", "video.mp4 silent.mp4", "clip.mov clip_noaudio.mov", "movie.mkv muted.mkv"))

T("ffmpeg.speed", "ffmpeg -i {video} -filter:v 'setpts=PTS/{x}' -an {out}", """
speed up {video} {x} times
make {video} play {x}x faster
""", cross(P("x", "2", "4", "1.5"), P("video out", "video.mp4 fast.mp4", "screen.mov timelapse.mp4")))

T("ffmpeg.rotate", "ffmpeg -i {video} -vf 'transpose={t}' {out}", """
rotate {video} 90 degrees {dir}
turn {video} {dir}
""", cross(P("t dir", "1 clockwise", "2 counterclockwise"), P("video out", "video.mp4 rotated.mp4",
                                                              "clip.mov clip_rotated.mov")))

T("ffmpeg.audio_convert", "ffmpeg -i {a} {b}", """
convert {a} to {b_ext}
change the audio format of {a} to {b_ext}
""", P("a b b_ext", "song.wav song.mp3 mp3", "track.flac track.mp3 mp3", "voice.m4a voice.wav wav",
       "podcast.ogg podcast.mp3 mp3", "song.mp3 song.ogg ogg"))

T("ffmpeg.audio_volume", "ffmpeg -i {a} -filter:a 'volume={v}' {b}", """
make {a} louder
change the volume of {a} by {v}x
""", P("a v b", "song.mp3 1.5 louder.mp3", "voice.wav 2.0 voice_loud.wav", "track.mp3 0.5 quiet.mp3"))

T("ffmpeg.record_screen", {"gnu": "ffmpeg -f x11grab -video_size 1920x1080 -i :0.0 {out}",
                           "bsd": "ffmpeg -f avfoundation -i '1:none' {out}"}, """
record my screen to {out}
screen capture with ffmpeg
""", P("out", "screen.mp4", "recording.mkv", "capture.mp4"))

T("ffmpeg.subtitles", "ffmpeg -i {video} -vf subtitles={subs} {out}", """
burn the subtitles {subs} into {video}
hardcode subtitles into {video}
""", P("video subs out", "movie.mp4 movie.srt movie_subbed.mp4", "talk.mp4 talk.srt talk_subs.mp4"))

T("ytdlp.download", "yt-dlp '{url}'", """
download the video at {url}
save the youtube video {url}
""", P("url", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://vimeo.com/123456789"))

T("ytdlp.audio", "yt-dlp -x --audio-format mp3 '{url}'", """
download only the audio of {url} as mp3
get the mp3 from the video {url}
""", P("url", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://vimeo.com/123456789"))

# -- ImageMagick --------------------------------------------------------------------------------

T("convert.format", "convert {img} {out}", """
convert {img} to {out_ext}
change {img} into a {out_ext} file
""", P("img out out_ext", "photo.jpg photo.png png", "image.png image.jpg jpg",
       "logo.png logo.webp webp", "picture.jpeg picture.pdf pdf", "scan.tiff scan.jpg jpg",
       "icon.png icon.ico ico"))

T("convert.resize", "convert {img} -resize {w}x {out}", """
resize {img} to {w} pixels wide
scale {img} down to width {w}
make {img} {w}px wide
""", cross(P("w", "800", "1024", "400", "1920", "256"), P("img out", "photo.jpg photo_small.jpg",
                                                          "image.png image_resized.png",
                                                          "banner.jpg banner_800.jpg")))

T("convert.resize_percent", "convert {img} -resize {p}% {out}", """
shrink {img} to {p} percent
scale {img} by {p}%
""", cross(P("p", "50", "25", "75", "200"), P("img out", "photo.jpg half.jpg",
                                              "screenshot.png screenshot_small.png")))

T("mogrify.batch_resize", "mogrify -resize {w}x *.{ext}", """
resize all {ext} images here to {w} pixels wide
batch scale every .{ext} file to width {w}
shrink all the {ext} pictures in this folder
""", cross(P("w", "800", "1024", "1200", "640"), P("ext", "jpg", "png", "jpeg")))

T("mogrify.batch_format", "mogrify -format {b} *.{a}", """
convert all {a} images to {b}
batch convert every .{a} file here into {b}
""", P("a b", "png jpg", "jpg png", "heic jpg", "webp png", "tiff jpg"))

T("convert.thumbnail", "convert {img} -thumbnail {s}x{s}^ -gravity center -extent {s}x{s} {out}", """
make a {s}x{s} square thumbnail of {img}
crop {img} to a centered {s}px square
""", cross(P("s", "200", "150", "128", "256"), P("img out", "photo.jpg thumb.jpg",
                                                 "image.png thumb.png")))

T("convert.crop", "convert {img} -crop {w}x{h}+{x}+{y} {out}", """
crop {img} to {w}x{h} starting at {x},{y}
cut a {w} by {h} region out of {img}
""", P("img w h x y out", "photo.jpg 800 600 100 50 cropped.jpg",
       "screenshot.png 400 300 0 0 corner.png", "image.png 1920 1080 0 100 wide.png"))

T("convert.rotate", "convert {img} -rotate {deg} {out}", """
rotate {img} by {deg} degrees
turn the image {img} {deg} degrees
""", cross(P("deg", "90", "180", "-90", "270"), P("img out", "photo.jpg rotated.jpg",
                                                  "scan.png scan_rotated.png")))

T("convert.grayscale", "convert {img} -colorspace Gray {out}", """
make {img} black and white
convert {img} to grayscale
""", P("img out", "photo.jpg gray.jpg", "image.png image_bw.png", "picture.jpeg mono.jpeg"))

T("convert.quality", "convert {img} -quality {q} {out}", """
compress the jpeg {img} at quality {q}
reduce the file size of {img}
""", cross(P("q", "80", "70", "85", "60"), P("img out", "photo.jpg photo_q.jpg",
                                             "banner.jpg banner_small.jpg")))

T("convert.strip", "convert {img} -strip {out}", """
remove metadata from {img}
strip exif data from {img}
""", P("img out", "photo.jpg clean.jpg", "picture.jpeg picture_clean.jpeg", "image.png stripped.png"))

T("convert.pdf_from_images", "convert *.{ext} {out}", """
combine all {ext} images into one pdf
make a pdf {out} from the .{ext} files
""", P("ext out", "jpg album.pdf", "png scans.pdf", "jpeg photos.pdf"))

T("convert.pdf_to_images", "convert -density 150 {pdf} page_%02d.png", """
turn each page of {pdf} into an image
convert {pdf} to png pages
""", P("pdf", "report.pdf", "slides.pdf", "invoice.pdf"))

T("convert.append", "convert {a} {b} {dir}append {out}", """
join {a} and {b} {words}
combine {a} and {b} into one image {words}
""", P("a b dir words out", "left.png ; right.png ; + ; side by side ; combined.png",
       "top.png ; bottom.png ; - ; one above the other ; stacked.png"))

T("convert.watermark", "convert {img} -gravity southeast -pointsize 24 -fill white -annotate +10+10 '{text}' {out}", """
add the text {text} to the corner of {img}
watermark {img} with {text}
""", P("img text out", "photo.jpg ; (c) Alice ; marked.jpg", "image.png ; DRAFT ; draft.png",
       "banner.jpg ; example.com ; banner_wm.jpg"))

T("identify.size", "identify {img}", """
what are the dimensions of {img}
image size and format of {img}
how many pixels is {img}
""", IMAGE_FILES)

T("identify.all", "identify -format '%f %wx%h\\n' *.{ext}", """
list the dimensions of all {ext} images here
width and height of every .{ext} file
""", P("ext", "jpg", "png", "jpeg", "gif"))

T("exiftool.read", "exiftool {img}", """
show the exif data of {img}
camera metadata of {img}
""", IMAGE_FILES)

T("exiftool.strip", "exiftool -all= {img}", """
remove all metadata from {img} with exiftool
wipe exif and gps info from {img}
""", IMAGE_FILES)

T("exiftool.rename_date", "exiftool '-FileName<CreateDate' -d '%Y-%m-%d_%H%M%S%%-c.%%e' .", """
rename photos by the date they were taken
name pictures after their exif capture time
""")

T("optipng.png", "optipng -o{lvl} {img}", """
losslessly optimize {img}
shrink the png {img} without losing quality
""", cross(P("lvl", "2", "5", "7"), P("img", "image.png", "logo.png", "screenshot.png")))

T("jpegoptim.jpg", "jpegoptim --max={q} {img}", """
optimize the jpeg {img} to quality {q}
compress {img} with jpegoptim
""", cross(P("q", "80", "85", "75"), P("img", "photo.jpg", "banner.jpg", "picture.jpeg")))

# -- pdf ----------------------------------------------------------------------------------------

T("pdf.text", "pdftotext {pdf} -", """
extract the text from {pdf}
print the text content of {pdf}
convert {pdf} to plain text
""", P("pdf", "report.pdf", "invoice.pdf", "paper.pdf", "manual.pdf"))

T("pdf.merge", "pdfunite {files} {out}", """
merge {files} into one pdf
combine the pdfs {files} into {out}
""", P("files out", "a.pdf b.pdf ; merged.pdf", "part1.pdf part2.pdf part3.pdf ; book.pdf",
       "cover.pdf report.pdf ; final.pdf"))

T("pdf.split_pages", "qpdf {pdf} --pages . {a}-{b} -- {out}", """
extract pages {a} to {b} of {pdf}
save pages {a}-{b} from {pdf} as {out}
""", P("pdf a b out", "report.pdf 1 3 summary.pdf", "book.pdf 10 20 chapter2.pdf",
       "slides.pdf 5 5 slide5.pdf"))

T("pdf.info", "pdfinfo {pdf}", """
how many pages does {pdf} have
page count and metadata of {pdf}
""", P("pdf", "report.pdf", "book.pdf", "slides.pdf", "invoice.pdf"))

T("pdf.compress", "gs -sDEVICE=pdfwrite -dPDFSETTINGS=/ebook -dNOPAUSE -dBATCH -sOutputFile={out} {pdf}", """
compress {pdf} to a smaller size
reduce the size of the pdf {pdf}
""", P("pdf out", "report.pdf report_small.pdf", "scan.pdf scan_small.pdf", "slides.pdf slides_small.pdf"))

T("pandoc.md_to_pdf", "pandoc {md} -o {out}", """
convert {md} to {out_ext}
turn the markdown {md} into {out_ext}
""", P("md out out_ext", "README.md README.pdf pdf", "notes.md notes.html html",
       "report.md report.docx docx", "doc.md doc.pdf pdf"))
