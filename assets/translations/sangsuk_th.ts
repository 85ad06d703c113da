<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH">
<context>
    <name>CitizenScreen</name>
    <message>
        <source>← Back</source>
        <translation>← ย้อนกลับ</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>ย้อนกลับ</translation>
    </message>
    <message>
        <source>Goes back to the previous question</source>
        <translation>กลับไปยังคำถามก่อนหน้า</translation>
    </message>
    <message>
        <source>Question %1 of %2</source>
        <extracomment>Progress through the survey: %1 is this question&apos;s number, %2 how many there are.</extracomment>
        <translation>ข้อ %1 จาก %2</translation>
    </message>
</context>
<context>
    <name>DisplayBar</name>
    <message>
        <source>Listen</source>
        <translation>ฟังเสียง</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>หยุดเสียง</translation>
    </message>
    <message>
        <source>Listen again</source>
        <translation>ฟังอีกครั้ง</translation>
    </message>
    <message>
        <source>No voice</source>
        <translation>ไม่มีเสียงอ่าน</translation>
    </message>
    <message>
        <source>Read this screen aloud</source>
        <translation>อ่านหน้าจอนี้ออกเสียง</translation>
    </message>
    <message>
        <source>Reads the question and the choices aloud, until the next person starts</source>
        <translation>อ่านคำถามและตัวเลือกออกเสียง จนกว่าผู้รับบริการคนถัดไปจะเริ่ม</translation>
    </message>
    <message>
        <source>Sorry, this kiosk cannot read aloud in English yet.</source>
        <extracomment>Shown when the speaker is tapped but the kiosk has no voice for the screen&apos;s language.</extracomment>
        <translation>ขออภัย เครื่องนี้ยังอ่านออกเสียงภาษาไทยไม่ได้</translation>
    </message>
    <message>
        <source>ไทย</source>
        <extracomment>The language switch shows the name of the OTHER language, written in that language.</extracomment>
        <translation>English</translation>
    </message>
    <message>
        <source>Switch to Thai (ภาษาไทย)</source>
        <extracomment>For screen readers: the language switch changes to the OTHER language.</extracomment>
        <translation>เปลี่ยนเป็นภาษาอังกฤษ (English)</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>ตัวอักษรใหญ่</translation>
    </message>
    <message>
        <source>Makes the text larger until the next person starts</source>
        <translation>ขยายตัวอักษรให้ใหญ่ขึ้น จนกว่าผู้ประเมินคนถัดไปจะเริ่ม</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>ความคมชัดสูง</translation>
    </message>
    <message>
        <source>White and yellow on black, until the next person starts</source>
        <translation>ตัวอักษรสีขาวและเหลืองบนพื้นดำ จนกว่าผู้ประเมินคนถัดไปจะเริ่ม</translation>
    </message>
</context>
<context>
    <name>ImpressionScreen</name>
    <message>
        <source>Edit your story</source>
        <translation>แก้ไขเรื่องราวของท่าน</translation>
    </message>
    <message>
        <source>Tap here to tell us more in your own words (optional)</source>
        <translation>แตะที่นี่เพื่อเล่าความประทับใจด้วยคำพูดของท่านเอง (ไม่บังคับ)</translation>
    </message>
    <message>
        <source>Write about it (optional)</source>
        <translation>เขียนเล่าความประทับใจ (ไม่บังคับ)</translation>
    </message>
    <message>
        <source>Opens a keyboard for a short story of what impressed you</source>
        <translation>เปิดแป้นพิมพ์เพื่อเขียนเรื่องราวสั้น ๆ ที่ท่านประทับใจ</translation>
    </message>
    <message>
        <source>What impressed you?</source>
        <translation>อะไรที่ทำให้ท่านประทับใจ</translation>
    </message>
    <message>
        <source>Choose as many as you like, or none</source>
        <translation>เลือกได้หลายข้อ หรือไม่เลือกก็ได้</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>ส่งความเห็น</translation>
    </message>
    <message>
        <source>Send your feedback</source>
        <translation>ส่งความเห็นของท่าน</translation>
    </message>
    <message>
        <source>Sends your answers; the story is optional</source>
        <translation>ส่งคำตอบของท่าน ไม่จำเป็นต้องเขียนเรื่องราว</translation>
    </message>
</context>
<context>
    <name>KioskApp</name>
    <message>
        <source>Sangsuk cannot start</source>
        <translation>ระบบประเมินเริ่มทำงานไม่ได้</translation>
    </message>
    <message>
        <source>The kiosk&apos;s settings cannot be used. Please ask the district clerk to check them.</source>
        <translation>ใช้การตั้งค่าของตู้ประเมินนี้ไม่ได้ กรุณาแจ้งเจ้าหน้าที่อำเภอให้ตรวจสอบ</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Happy District kiosk</source>
        <translation>ตู้ประเมินอำเภอสร้างสุข</translation>
    </message>
</context>
<context>
    <name>RatingScreen</name>
    <message>
        <source>How satisfied are you with our service today?</source>
        <translation>ท่านพึงพอใจการให้บริการในวันนี้เพียงใด</translation>
    </message>
    <message>
        <source>Tap the face that matches how you feel</source>
        <translation>แตะใบหน้าที่ตรงกับความรู้สึกของท่าน</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>พอใจมากที่สุด</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>พอใจมาก</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>พอใจปานกลาง</translation>
    </message>
    <message>
        <source>Unsatisfied</source>
        <translation>ไม่พอใจ</translation>
    </message>
    <message>
        <source>Very unsatisfied</source>
        <translation>ไม่พอใจมาก</translation>
    </message>
    <message>
        <source>Score %1 of 5</source>
        <extracomment>For screen readers, after the face&apos;s word: %1 is the score, 5 the best.</extracomment>
        <translation>คะแนน %1 จาก 5</translation>
    </message>
</context>
<context>
    <name>SaveFailedScreen</name>
    <message>
        <source>For the district clerk: the kiosk&apos;s log has the details (%1)</source>
        <extracomment>Small print for the district clerk; %1 is a short code such as disk_full.</extracomment>
        <translation>สำหรับเจ้าหน้าที่อำเภอ: ดูรายละเอียดในบันทึกของตู้ประเมิน (%1)</translation>
    </message>
    <message>
        <source>Sorry, your feedback could not be saved just now.</source>
        <translation>ขออภัย ระบบไม่สามารถบันทึกความเห็นของท่านได้ในขณะนี้</translation>
    </message>
    <message>
        <source>Please tell a member of staff.</source>
        <translation>กรุณาแจ้งเจ้าหน้าที่</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>ลองอีกครั้ง</translation>
    </message>
    <message>
        <source>Try again to save your feedback</source>
        <translation>ลองบันทึกความเห็นของท่านอีกครั้ง</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>ข้อความแจ้ง</translation>
    </message>
</context>
<context>
    <name>SavingScreen</name>
    <message>
        <source>Saving…</source>
        <translation>กำลังบันทึก…</translation>
    </message>
    <message>
        <source>Happy District emblem</source>
        <translation>ตราสัญลักษณ์อำเภอสร้างสุข</translation>
    </message>
</context>
<context>
    <name>StillThereOverlay</name>
    <message>
        <source>The screen will start over in 1 second</source>
        <translation>หน้าจอจะเริ่มใหม่ใน 1 วินาที</translation>
    </message>
    <message>
        <source>The screen will start over in %1 seconds</source>
        <extracomment>%1 is a number of seconds other than 1 (which has a string of its own).</extracomment>
        <translation>หน้าจอจะเริ่มใหม่ใน %1 วินาที</translation>
    </message>
    <message>
        <source>Are you still there?</source>
        <translation>ท่านยังอยู่หรือไม่</translation>
    </message>
    <message>
        <source>I&apos;m still here</source>
        <translation>ยังอยู่</translation>
    </message>
</context>
<context>
    <name>StoryField</name>
    <message>
        <source>Your story</source>
        <translation>เรื่องราวของท่าน</translation>
    </message>
    <message>
        <source>Type your story with the keyboard below (optional)</source>
        <translation>พิมพ์เรื่องราวความประทับใจด้วยแป้นพิมพ์ด้านล่าง (ไม่บังคับ)</translation>
    </message>
</context>
<context>
    <name>TargetScreen</name>
    <message>
        <source>and %1 more; swipe the list to see them</source>
        <extracomment>Read aloud after the first names of a long list; %1 is how many were not read.</extracomment>
        <translation>และอีก %1 รายการ เลื่อนรายชื่อเพื่อดูทั้งหมด</translation>
    </message>
    <message>
        <source>Who served you today?</source>
        <translation>ท่านได้รับบริการจากใคร</translation>
    </message>
    <message>
        <source>What did you come for? (optional)</source>
        <translation>มาติดต่อเรื่อง (ไม่บังคับ)</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>เจ้าหน้าที่</translation>
    </message>
    <message>
        <source>Or the unit that served you</source>
        <translation>หรือเลือกงานที่ให้บริการ</translation>
    </message>
    <message>
        <source>Not sure</source>
        <translation>ไม่แน่ใจ</translation>
    </message>
    <message>
        <source>Skip this question</source>
        <translation>ข้ามข้อนี้</translation>
    </message>
</context>
<context>
    <name>ThaiKeyboard</name>
    <message>
        <source>On-screen keyboard</source>
        <translation>แป้นพิมพ์บนหน้าจอ</translation>
    </message>
    <message>
        <source>↑ Shift</source>
        <extracomment>The Shift key&apos;s label; keep the arrow (the font has no ⇧).</extracomment>
        <translation>↑ ยกแคร่</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>ยกแคร่</translation>
    </message>
    <message>
        <source>Types the upper character of the next key</source>
        <translation>พิมพ์อักษรตัวบนของแป้นถัดไป</translation>
    </message>
    <message>
        <source>← Delete</source>
        <extracomment>The Backspace key&apos;s label: it deletes the character before the caret.</extracomment>
        <translation>← ลบ</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>ลบ</translation>
    </message>
    <message>
        <source>Deletes the last character typed</source>
        <translation>ลบตัวอักษรตัวสุดท้ายที่พิมพ์</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>เว้นวรรค</translation>
    </message>
    <message>
        <source>Switch the keyboard to English</source>
        <translation>เปลี่ยนแป้นพิมพ์เป็นภาษาอังกฤษ</translation>
    </message>
    <message>
        <source>Switch the keyboard to Thai</source>
        <translation>เปลี่ยนแป้นพิมพ์เป็นภาษาไทย</translation>
    </message>
    <message>
        <source>No characters left</source>
        <translation>พิมพ์ครบจำนวนแล้ว</translation>
    </message>
    <message>
        <source>1 character left</source>
        <translation>เหลืออีก 1 ตัวอักษร</translation>
    </message>
    <message>
        <source>%1 characters left</source>
        <extracomment>%1 is a number of 2 or more; 1 and 0 have strings of their own.</extracomment>
        <translation>เหลืออีก %1 ตัวอักษร</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <source>Thank you for your feedback</source>
        <translation>ขอบคุณที่ร่วมประเมิน</translation>
    </message>
    <message>
        <source>Your answers have been saved.</source>
        <translation>บันทึกความเห็นของท่านเรียบร้อยแล้ว</translation>
    </message>
    <message>
        <source>Happy District — Happiness can be built</source>
        <translation>อำเภอสร้างสุข — สุข สร้าง ได้</translation>
    </message>
    <message>
        <source>Less suffering, more happiness</source>
        <translation>ทุกข์น้อยลง สุขมากขึ้น</translation>
    </message>
    <message>
        <source>Happy District emblem</source>
        <translation>ตราสัญลักษณ์อำเภอสร้างสุข</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <source>Happy District — Happiness can be built</source>
        <translation>อำเภอสร้างสุข — สุข สร้าง ได้</translation>
    </message>
    <message>
        <source>%1 District, %2</source>
        <translation>อำเภอ%1 จังหวัด%2</translation>
    </message>
    <message>
        <source>Tap to rate our service</source>
        <translation>แตะเพื่อประเมินความพึงพอใจ</translation>
    </message>
    <message>
        <source>Starts a short survey. You are not asked who you are.</source>
        <translation>เริ่มแบบประเมินสั้น ๆ โดยไม่ต้องระบุตัวตน</translation>
    </message>
    <message>
        <source>Less suffering, more happiness</source>
        <translation>ทุกข์น้อยลง สุขมากขึ้น</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>ตัวอย่าง</translation>
    </message>
    <message>
        <source>Demo district: for trying out the kiosk</source>
        <translation>อำเภอตัวอย่าง สำหรับทดลองใช้ตู้ประเมิน</translation>
    </message>
    <message>
        <source>Please wait a moment before the next rating</source>
        <translation>กรุณารอสักครู่ แล้วแตะเพื่อเริ่มใหม่</translation>
    </message>
    <message>
        <source>This kiosk cannot record feedback right now. Please tell a member of staff. (%1)</source>
        <extracomment>The ledger could not be opened; %1 is a short code for the district clerk.</extracomment>
        <translation>ขออภัย ตู้ประเมินนี้ยังบันทึกความเห็นไม่ได้ในขณะนี้ กรุณาแจ้งเจ้าหน้าที่ (%1)</translation>
    </message>
    <message>
        <source>Happy District emblem</source>
        <translation>ตราสัญลักษณ์อำเภอสร้างสุข</translation>
    </message>
</context>
</TS>
